package ddpm.trainer.graph;

import java.util.List;

/** Which ε_θ network to build, and how wide. Zero values of the request mean the defaults below. */
public record EpsNetConfig(String architecture, int baseChannels) {
  public static final String CONV = "conv";
  public static final List<String> ARCHITECTURES = List.of(CONV);
  public static final int DEFAULT_BASE_CHANNELS = 32;
  public static final int MIN_BASE_CHANNELS = 4;
  public static final int MAX_BASE_CHANNELS = 256;

  public EpsNetConfig {
    if (architecture == null || architecture.isEmpty()) {
      architecture = CONV;
    }
    if (!ARCHITECTURES.contains(architecture)) {
      throw new IllegalArgumentException("network.architecture: must be one of " + ARCHITECTURES
          + " (or empty for \"" + CONV + "\"), got \"" + architecture + "\"");
    }
    if (baseChannels == 0) {
      baseChannels = DEFAULT_BASE_CHANNELS;
    }
    if (baseChannels < MIN_BASE_CHANNELS || baseChannels > MAX_BASE_CHANNELS) {
      throw new IllegalArgumentException("network.base_channels: must be " + MIN_BASE_CHANNELS + ".."
          + MAX_BASE_CHANNELS + " (0 for " + DEFAULT_BASE_CHANNELS + "), got " + baseChannels);
    }
  }

  public static EpsNetConfig defaults() {
    return new EpsNetConfig(CONV, DEFAULT_BASE_CHANNELS);
  }
}
