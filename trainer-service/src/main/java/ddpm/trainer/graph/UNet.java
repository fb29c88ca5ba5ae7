package ddpm.trainer.graph;

import ddpm.diffusion.ImageShape;
import ddpm.layers.Activations;
import ddpm.layers.Attention;
import ddpm.layers.Conv2d;
import ddpm.layers.GroupNorm;
import ddpm.layers.Params;
import ddpm.layers.Pass;
import ddpm.layers.Resample;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Ho et al.'s ε_θ, scaled down (docs/math.md §8): a 3×3 input conv, then per level {@code num_res_blocks} residual
 * blocks (self-attention after each at the attention resolutions) and a stride-2 conv between levels; a
 * middle of residual block, attention, residual block; the mirror image going up, where each block first
 * concatenates the activation saved at the same point going down, and nearest-neighbour doubling plus a
 * conv climbs a level; finally GroupNorm, SiLU and a zero-initialised 3×3 conv.
 *
 * <p>The network is a list of units: every down unit's output is saved as a skip, every up unit starts by
 * concatenating the newest unused skip, so the pairing of resolutions falls out of the order.
 */
final class UNet implements EpsNet {
  private final Ops tf;
  private final TimestepEmbedding embedding;
  private final Conv2d input;
  private final List<List<TimestepLayer>> down = new ArrayList<>();
  private final List<TimestepLayer> middle = new ArrayList<>();
  private final List<List<TimestepLayer>> up = new ArrayList<>();
  private final GroupNorm outputNorm;
  private final Conv2d output;

  UNet(Params params, EpsNetConfig config, ImageShape shape) {
    int channels = shape.channels();
    List<Integer> sizes = EpsNetConfig.levelSizes(shape.height(), config.channelMult().size());
    Params p = params.child("eps_net");
    this.tf = p.tf();
    int base = config.baseChannels();
    int embedDim = EMBED_MULTIPLIER * base;
    List<Integer> mult = config.channelMult();
    double dropout = config.dropout();
    this.embedding = new TimestepEmbedding(p, base, embedDim, config.numClasses());
    this.input = Conv2d.create(p, "input", 3, channels, base);

    Deque<Integer> skipChannels = new ArrayDeque<>();
    skipChannels.push(base);
    int ch = base;
    for (int level = 0; level < mult.size(); level++) {
      Params lp = p.child("down" + level);
      boolean attend = config.attentionResolutions().contains(sizes.get(level));
      for (int b = 0; b < config.numResBlocks(); b++) {
        int out = mult.get(level) * base;
        List<TimestepLayer> unit = new ArrayList<>();
        unit.add(new ResBlock(lp, "block" + b, ch, out, embedDim, dropout));
        if (attend) {
          unit.add(TimestepLayer.of(new Attention(lp, "attention" + b, out)));
        }
        down.add(unit);
        ch = out;
        skipChannels.push(ch);
      }
      if (level < mult.size() - 1) {
        down.add(List.of(TimestepLayer.of(Resample.down(lp, "downsample", ch))));
        skipChannels.push(ch);
      }
    }

    Params mp = p.child("middle");
    middle.add(new ResBlock(mp, "block0", ch, ch, embedDim, dropout));
    middle.add(TimestepLayer.of(new Attention(mp, "attention", ch)));
    middle.add(new ResBlock(mp, "block1", ch, ch, embedDim, dropout));

    for (int level = mult.size() - 1; level >= 0; level--) {
      Params lp = p.child("up" + level);
      boolean attend = config.attentionResolutions().contains(sizes.get(level));
      for (int b = 0; b <= config.numResBlocks(); b++) {
        int out = mult.get(level) * base;
        List<TimestepLayer> unit = new ArrayList<>();
        unit.add(new ResBlock(lp, "block" + b, ch + skipChannels.pop(), out, embedDim, dropout));
        if (attend) {
          unit.add(TimestepLayer.of(new Attention(lp, "attention" + b, out)));
        }
        ch = out;
        if (level > 0 && b == config.numResBlocks()) {
          unit.add(TimestepLayer.of(Resample.up(lp, "upsample", ch)));
        }
        up.add(unit);
      }
    }
    this.outputNorm = new GroupNorm(p, "output_norm", ch);
    this.output = Conv2d.zero(p, "output", 3, ch, channels);
  }

  /**
   * The residual blocks and attention layers the constructor builds, level by level: per level
   * num_res_blocks going down and one more coming up, then the middle's two blocks and attention.
   */
  static StepMemory stepMemory(EpsNetConfig config, ImageShape shape) {
    StepMemory.Tally tally = new StepMemory.Tally();
    List<Integer> mult = config.channelMult();
    int blocksPerLevel = 2 * config.numResBlocks() + 1;
    long channels = 0;
    long pixels = 0;
    for (int level = 0; level < mult.size(); level++) {
      channels = (long) mult.get(level) * config.baseChannels();
      pixels = (long) (shape.height() >> level) * (shape.width() >> level);
      tally.residualBlocks(blocksPerLevel, channels, pixels);
      if (config.attentionResolutions().contains(shape.height() >> level)) {
        tally.attention(blocksPerLevel, channels, pixels);
      }
    }
    return tally.residualBlocks(2, channels, pixels).attention(1, channels, pixels).total();
  }

  @Override
  public Operand<TFloat32> apply(Pass pass, Operand<TFloat32> xt, Operand<TInt32> t, Operand<TInt32> y) {
    Operand<TFloat32> emb = embedding.apply(pass, t, y);
    Operand<TFloat32> h = input.apply(pass, xt);
    Deque<Operand<TFloat32>> skips = new ArrayDeque<>();
    skips.push(h);
    for (List<TimestepLayer> unit : down) {
      h = run(pass, unit, h, emb);
      skips.push(h);
    }
    h = run(pass, middle, h, emb);
    for (List<TimestepLayer> unit : up) {
      h = run(pass, unit, tf.concat(List.of(h, skips.pop()), tf.constant(3)), emb);
    }
    return output.apply(pass, Activations.silu(tf, outputNorm.apply(pass, h)));
  }

  private static Operand<TFloat32> run(Pass pass, List<TimestepLayer> layers, Operand<TFloat32> x,
      Operand<TFloat32> emb) {
    Operand<TFloat32> h = x;
    for (TimestepLayer layer : layers) {
      h = layer.apply(pass, h, emb);
    }
    return h;
  }
}
