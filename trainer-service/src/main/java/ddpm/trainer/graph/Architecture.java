package ddpm.trainer.graph;

import ddpm.diffusion.Echo;
import ddpm.diffusion.ImageShape;
import ddpm.layers.Params;
import java.util.Arrays;
import java.util.List;

/**
 * The ε_θ networks the trainer builds, one row each: the name a request and model.json give it
 * (NetworkConfig.architecture), what it is, its default dropout, whether it takes the level fields
 * (channel_mult, num_res_blocks, attention_resolutions), how to build it, and what a training step of it holds
 * in memory. Validation messages, the CLI's {@code --arch} choices and help, {@link EpsNet#build} and
 * {@link StepMemory#of} all read this table: another network is another row.
 */
public enum Architecture {
  UNET("unet", "Ho et al.'s U-Net, scaled down (docs/math.md §8): residual blocks and self-attention at"
      + " levels of halving resolution", 0.1, true, UNet::new, UNet::stepMemory),
  CONV("conv", "a small residual network at full resolution, without levels", 0, false, ConvEpsNet::new,
      ConvEpsNet::stepMemory);

  /** What a request that names no architecture gets. */
  public static final Architecture DEFAULT = UNET;

  /** Builds the network's ops and variables; {@code config} is resolved for the image. */
  @FunctionalInterface
  interface Builder {
    EpsNet build(Params params, EpsNetConfig config, ImageShape shape);
  }

  /** The sizes a training step's memory grows with; {@code config} is resolved for the image. */
  @FunctionalInterface
  interface Sizer {
    StepMemory stepMemory(EpsNetConfig config, ImageShape shape);
  }

  private final String wireName;
  private final String description;
  private final double defaultDropout;
  private final boolean levels;
  private final Builder builder;
  private final Sizer sizer;

  Architecture(String wireName, String description, double defaultDropout, boolean levels, Builder builder,
      Sizer sizer) {
    this.wireName = wireName;
    this.description = description;
    this.defaultDropout = defaultDropout;
    this.levels = levels;
    this.builder = builder;
    this.sizer = sizer;
  }

  /** The name in requests and model cards. */
  public String wireName() {
    return wireName;
  }

  /** What the network is, in a phrase. */
  public String description() {
    return description;
  }

  /** The dropout of a request that leaves it unset (0.1 for the U-Net, as in Ho et al.; none for the small network). */
  public double defaultDropout() {
    return defaultDropout;
  }

  /** Whether it takes channel_mult, num_res_blocks and attention_resolutions; the others must leave them unset. */
  public boolean hasLevels() {
    return levels;
  }

  EpsNet build(Params params, EpsNetConfig config, ImageShape shape) {
    return builder.build(params, config, shape);
  }

  StepMemory stepMemory(EpsNetConfig config, ImageShape shape) {
    return sizer.stepMemory(config, shape);
  }

  /** Every architecture's name, in the table's order. */
  public static List<String> names() {
    return Arrays.stream(values()).map(Architecture::wireName).toList();
  }

  /**
   * The architecture named {@code name}, the default for an empty or null one; IllegalArgumentException naming
   * {@code field} and listing the names otherwise.
   */
  public static Architecture parse(String name, String field) {
    if (name == null || name.isEmpty()) {
      return DEFAULT;
    }
    for (Architecture a : values()) {
      if (a.wireName.equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException(field + ": must be one of " + names() + " (or empty for \"" + DEFAULT.wireName
        + "\"), got " + Echo.quoted(name));
  }

  /** The names of the architectures with levels, for messages about the level fields. */
  static List<String> withLevels() {
    return Arrays.stream(values()).filter(Architecture::hasLevels).map(Architecture::wireName).toList();
  }
}
