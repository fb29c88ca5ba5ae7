package ddpm.metrics;

import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What was built: the project version and the commit, as {@code ddpm_build_info{version,commit} 1}, so that a
 * dashboard shows which build each pod runs during a rolling update. Maven writes both into build.properties;
 * a tree built without git (a source tarball) has commit {@value #UNKNOWN}.
 */
public record BuildInfo(String version, String commit) {
  public static final String UNKNOWN = "unknown";
  private static final String RESOURCE = "build.properties";

  /** This build's, from the resource Maven filtered. */
  public static BuildInfo current() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE, e);
    }
    return new BuildInfo(filtered(properties, "version"), filtered(properties, "commit"));
  }

  /** A property Maven had no value for keeps its {@code ${...}} placeholder. */
  private static String filtered(Properties properties, String key) {
    String value = properties.getProperty(key, "").trim();
    return value.isEmpty() || value.startsWith("${") ? UNKNOWN : value;
  }

  public void register(PrometheusRegistry registry) {
    Info.builder()
        .name("ddpm_build_info")
        .help("The build this process runs: project version and git commit")
        .labelNames("version", "commit")
        .register(registry)
        .setLabelValues(version, commit);
  }
}
