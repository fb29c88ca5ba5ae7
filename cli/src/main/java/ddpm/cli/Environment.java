package ddpm.cli;

import java.nio.file.Path;

/** A flag's value, or else an environment variable's: how a Kubernetes Deployment configures a process. */
final class Environment {
  private Environment() {}

  /** {@code value}, or else {@code variable}'s value if it is set and not blank; null if neither is. */
  static String text(String value, String variable) {
    if (value != null) {
      return value;
    }
    String env = System.getenv(variable);
    return env == null || env.isBlank() ? null : env;
  }

  static Path path(Path value, String variable) {
    String text = text(value == null ? null : value.toString(), variable);
    return text == null ? null : Path.of(text);
  }
}
