package ddpm.trainer.graph;

import ddpm.diffusion.Echo;
import ddpm.diffusion.ImageShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Which ε_θ network to build, as NetworkConfig describes it. Zero values and nulls mean the defaults: the
 * {@link Architecture#DEFAULT} architecture, {@link #DEFAULT_BASE_CHANNELS}, and the architecture's own dropout;
 * for an architecture with levels, {@link #DEFAULT_CHANNEL_MULT} and {@link #DEFAULT_RES_BLOCKS}, and attention
 * at the lowest level, which depends on the image, so {@link #forImage} resolves it. An architecture without
 * levels must leave the level fields unset, and holds null in them. {@code numClasses} is null for an
 * unconditional network and the class count of a class-conditional one, whose label {@code numClasses} is the
 * null label ({@link #nullLabel}).
 */
public record EpsNetConfig(
    Architecture architecture,
    int baseChannels,
    List<Integer> channelMult,
    Integer numResBlocks,
    List<Integer> attentionResolutions,
    Double dropout,
    Integer numClasses) {
  public static final int DEFAULT_BASE_CHANNELS = 32;
  public static final int MIN_BASE_CHANNELS = 4;
  public static final int MAX_BASE_CHANNELS = 256;
  public static final List<Integer> DEFAULT_CHANNEL_MULT = List.of(1, 2, 2);
  public static final int MAX_LEVELS = 5;
  public static final int MAX_MULT = 8;
  public static final int DEFAULT_RES_BLOCKS = 1;
  public static final int MAX_RES_BLOCKS = 4;
  public static final int MAX_CLASSES = 10_000;

  /** An unconditional network. */
  public EpsNetConfig(Architecture architecture, int baseChannels, List<Integer> channelMult, Integer numResBlocks,
      List<Integer> attentionResolutions, Double dropout) {
    this(architecture, baseChannels, channelMult, numResBlocks, attentionResolutions, dropout, null);
  }

  public EpsNetConfig {
    if (architecture == null) {
      architecture = Architecture.DEFAULT;
    }
    if (baseChannels == 0) {
      baseChannels = DEFAULT_BASE_CHANNELS;
    }
    if (baseChannels < MIN_BASE_CHANNELS || baseChannels > MAX_BASE_CHANNELS) {
      throw new IllegalArgumentException("network.base_channels: must be " + MIN_BASE_CHANNELS + ".."
          + MAX_BASE_CHANNELS + " (0 for " + DEFAULT_BASE_CHANNELS + "), got " + baseChannels);
    }
    boolean multSet = channelMult != null && !channelMult.isEmpty();
    boolean blocksSet = numResBlocks != null && numResBlocks != 0;
    boolean attentionSet = attentionResolutions != null && !attentionResolutions.isEmpty();
    if (architecture.hasLevels()) {
      channelMult = multSet ? List.copyOf(channelMult) : DEFAULT_CHANNEL_MULT;
      if (channelMult.size() > MAX_LEVELS || channelMult.stream().anyMatch(m -> m < 1 || m > MAX_MULT)) {
        throw new IllegalArgumentException("network.channel_mult: 1.." + MAX_LEVELS + " entries, each 1.."
            + MAX_MULT + ", got " + Echo.cut(channelMult.toString()));
      }
      numResBlocks = blocksSet ? numResBlocks : DEFAULT_RES_BLOCKS;
      if (numResBlocks < 1 || numResBlocks > MAX_RES_BLOCKS) {
        throw new IllegalArgumentException("network.num_res_blocks: must be 1.." + MAX_RES_BLOCKS
            + " (0 for " + DEFAULT_RES_BLOCKS + "), got " + numResBlocks);
      }
      attentionResolutions = attentionSet ? List.copyOf(attentionResolutions) : List.of();
    } else {
      requireUnset(architecture, "network.channel_mult", multSet, channelMult);
      requireUnset(architecture, "network.num_res_blocks", blocksSet, numResBlocks);
      requireUnset(architecture, "network.attention_resolutions", attentionSet, attentionResolutions);
      channelMult = null;
      numResBlocks = null;
      attentionResolutions = null;
    }
    if (dropout == null) {
      dropout = architecture.defaultDropout();
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("network.dropout: must be in [0, 1), got " + dropout);
    }
    if (numClasses != null && (numClasses < 1 || numClasses > MAX_CLASSES)) {
      throw new IllegalArgumentException("network.num_classes: must be 1.." + MAX_CLASSES + ", got " + numClasses);
    }
  }

  /** Whether the network takes a class label per image besides x_t and t. */
  public boolean classConditional() {
    return numClasses != null;
  }

  /** The label that stands for "no class" in a class-conditional network: one past the last class. */
  public int nullLabel() {
    if (numClasses == null) {
      throw new IllegalStateException("an unconditional network has no null label");
    }
    return numClasses;
  }

  /** The same network conditioned on {@code classes} classes. */
  public EpsNetConfig withClasses(int classes) {
    return new EpsNetConfig(architecture, baseChannels, channelMult, numResBlocks, attentionResolutions, dropout,
        classes);
  }

  private static void requireUnset(Architecture architecture, String field, boolean set, Object value) {
    if (set) {
      throw new IllegalArgumentException(field + ": only the architectures with levels " + Architecture.withLevels()
          + " take it; leave it unset for \"" + architecture.wireName() + "\", got " + Echo.cut(String.valueOf(value)));
    }
  }

  /** What a request without a network gets: the default architecture with its defaults. */
  public static EpsNetConfig defaults() {
    return new EpsNetConfig(null, 0, null, null, null, null);
  }

  /** The small residual network without levels; dropout 0 unless asked for. */
  public static EpsNetConfig conv(int baseChannels) {
    return new EpsNetConfig(Architecture.CONV, baseChannels, null, null, null, null);
  }

  /** The image size at each of {@code levels} levels: the side halved between levels. */
  public static List<Integer> levelSizes(int side, int levels) {
    List<Integer> sizes = new ArrayList<>();
    for (int level = 0; level < levels; level++) {
      sizes.add(side >> level);
    }
    return sizes;
  }

  /**
   * This configuration checked against the image and with the default attention resolution (the lowest
   * level) filled in. IllegalArgumentException naming the field when the image cannot be halved
   * {@code levels − 1} times or an attention resolution is no level's size.
   */
  public EpsNetConfig forImage(ImageShape shape) {
    if (!architecture.hasLevels()) {
      return this;
    }
    int levels = channelMult.size();
    int divisor = 1 << (levels - 1);
    if (shape.height() % divisor != 0 || shape.width() % divisor != 0) {
      throw new IllegalArgumentException("network.channel_mult: " + levels + " levels halve the image "
          + (levels - 1) + " times, so its sides must be divisible by " + divisor + ", but the data set's images are "
          + shape.height() + "×" + shape.width());
    }
    List<Integer> sizes = levelSizes(shape.height(), levels);
    List<Integer> attention = attentionResolutions.isEmpty() ? List.of(sizes.get(levels - 1)) : attentionResolutions;
    for (int resolution : attention) {
      if (!sizes.contains(resolution)) {
        throw new IllegalArgumentException("network.attention_resolutions: " + resolution
            + " is not the size of a level; the levels are " + sizes);
      }
    }
    return new EpsNetConfig(architecture, baseChannels, channelMult, numResBlocks, attention, dropout, numClasses);
  }
}
