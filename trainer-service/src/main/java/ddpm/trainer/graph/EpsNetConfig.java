package ddpm.trainer.graph;

import ddpm.diffusion.ImageShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Which ε_θ network to build. Zero values of the request mean the architecture's defaults below; the
 * default attention resolution (the lowest level) depends on the image, so {@link #forImage} resolves it.
 * The U-Net-only fields must stay empty for "conv".
 */
public record EpsNetConfig(
    String architecture,
    int baseChannels,
    List<Integer> channelMult,
    int numResBlocks,
    List<Integer> attentionResolutions,
    double dropout) {
  public static final String UNET = "unet";
  public static final String CONV = "conv";
  public static final List<String> ARCHITECTURES = List.of(UNET, CONV);
  public static final int DEFAULT_BASE_CHANNELS = 32;
  public static final int MIN_BASE_CHANNELS = 4;
  public static final int MAX_BASE_CHANNELS = 256;
  public static final List<Integer> DEFAULT_CHANNEL_MULT = List.of(1, 2, 2);
  public static final int MAX_LEVELS = 5;
  public static final int MAX_MULT = 8;
  public static final int DEFAULT_RES_BLOCKS = 1;
  public static final int MAX_RES_BLOCKS = 4;
  public static final double DEFAULT_UNET_DROPOUT = 0.1;

  public EpsNetConfig {
    if (architecture == null || architecture.isEmpty()) {
      architecture = UNET;
    }
    if (!ARCHITECTURES.contains(architecture)) {
      throw new IllegalArgumentException("network.architecture: must be one of " + ARCHITECTURES
          + " (or empty for \"" + UNET + "\"), got \"" + architecture + "\"");
    }
    if (baseChannels == 0) {
      baseChannels = DEFAULT_BASE_CHANNELS;
    }
    if (baseChannels < MIN_BASE_CHANNELS || baseChannels > MAX_BASE_CHANNELS) {
      throw new IllegalArgumentException("network.base_channels: must be " + MIN_BASE_CHANNELS + ".."
          + MAX_BASE_CHANNELS + " (0 for " + DEFAULT_BASE_CHANNELS + "), got " + baseChannels);
    }
    channelMult = channelMult == null ? List.of() : List.copyOf(channelMult);
    attentionResolutions = attentionResolutions == null ? List.of() : List.copyOf(attentionResolutions);
    if (architecture.equals(UNET)) {
      if (channelMult.isEmpty()) {
        channelMult = DEFAULT_CHANNEL_MULT;
      }
      if (channelMult.size() > MAX_LEVELS || channelMult.stream().anyMatch(m -> m < 1 || m > MAX_MULT)) {
        throw new IllegalArgumentException("network.channel_mult: 1.." + MAX_LEVELS + " entries, each 1.."
            + MAX_MULT + ", got " + channelMult);
      }
      if (numResBlocks == 0) {
        numResBlocks = DEFAULT_RES_BLOCKS;
      }
      if (numResBlocks < 1 || numResBlocks > MAX_RES_BLOCKS) {
        throw new IllegalArgumentException("network.num_res_blocks: must be 1.." + MAX_RES_BLOCKS
            + " (0 for " + DEFAULT_RES_BLOCKS + "), got " + numResBlocks);
      }
    } else {
      requireUnset("network.channel_mult", !channelMult.isEmpty(), channelMult);
      requireUnset("network.num_res_blocks", numResBlocks != 0, numResBlocks);
      requireUnset("network.attention_resolutions", !attentionResolutions.isEmpty(), attentionResolutions);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("network.dropout: must be in [0, 1), got " + dropout);
    }
  }

  /** The dropout a request that leaves it unset gets: Ho et al.'s 0.1 for the U-Net, none for the small network. */
  public static double defaultDropout(String architecture) {
    return CONV.equals(architecture) ? 0 : DEFAULT_UNET_DROPOUT;
  }

  private static void requireUnset(String field, boolean set, Object value) {
    if (set) {
      throw new IllegalArgumentException(field + ": only the \"" + UNET + "\" architecture has levels; leave it unset for \""
          + CONV + "\", got " + value);
    }
  }

  /** The U-Net defaults (spec §8 scaled down): C = 32, levels (1, 2, 2)·C, one block each, dropout 0.1. */
  public static EpsNetConfig defaults() {
    return new EpsNetConfig(UNET, 0, List.of(), 0, List.of(), DEFAULT_UNET_DROPOUT);
  }

  /** The small residual network without levels; dropout 0 unless asked for. */
  public static EpsNetConfig conv(int baseChannels) {
    return new EpsNetConfig(CONV, baseChannels, List.of(), 0, List.of(), 0);
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
    if (!architecture.equals(UNET)) {
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
    return new EpsNetConfig(architecture, baseChannels, channelMult, numResBlocks, attention, dropout);
  }
}
