package ddpm.cli;

/** NAME or NAME:VERSION, as the --model (sample, bench) and --init-from options take it; version 0: the highest. */
public record ModelRef(String name, long version) {
  /** {@code option}: the option the text came from, which an error names. */
  public static ModelRef parse(String text, String option) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      return new ModelRef(text, 0);
    }
    try {
      return new ModelRef(text.substring(0, colon), Long.parseLong(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": version after ':' must be an integer, got \"" + text + "\"");
    }
  }
}
