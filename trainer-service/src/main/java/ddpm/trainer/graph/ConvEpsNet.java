package ddpm.trainer.graph;

import ddpm.diffusion.ImageShape;
import ddpm.layers.Activations;
import ddpm.layers.Conv2d;
import ddpm.layers.GroupNorm;
import ddpm.layers.Params;
import ddpm.layers.Pass;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The small convolutional ε_θ: 3×3 input conv to {@code width} channels, residual blocks at full
 * resolution conditioned on the timestep embedding, then GroupNorm, SiLU and a zero-initialised 3×3 conv
 * back to the image's channels. Works for any H×W; it is the U-Net without its down and up paths.
 */
final class ConvEpsNet implements EpsNet {
  static final int RES_BLOCKS = 2;

  private final Ops tf;
  private final TimestepEmbedding embedding;
  private final Conv2d input;
  private final List<ResBlock> blocks = new ArrayList<>();
  private final GroupNorm outputNorm;
  private final Conv2d output;

  ConvEpsNet(Params params, EpsNetConfig config, ImageShape shape) {
    int channels = shape.channels();
    Params p = params.child("eps_net");
    this.tf = p.tf();
    int width = config.baseChannels();
    int embedDim = EpsNet.EMBED_MULTIPLIER * width;
    this.embedding = new TimestepEmbedding(p, width, embedDim, config.numClasses());
    this.input = Conv2d.create(p, "input", 3, channels, width);
    for (int i = 0; i < RES_BLOCKS; i++) {
      blocks.add(new ResBlock(p, "block" + i, width, width, embedDim, config.dropout()));
    }
    this.outputNorm = new GroupNorm(p, "output_norm", width);
    this.output = Conv2d.zero(p, "output", 3, width, channels);
  }

  /** Its residual blocks, all at full resolution. */
  static StepMemory stepMemory(EpsNetConfig config, ImageShape shape) {
    return new StepMemory.Tally()
        .residualBlocks(RES_BLOCKS, config.baseChannels(), (long) shape.height() * shape.width())
        .total();
  }

  @Override
  public Operand<TFloat32> apply(Pass pass, Operand<TFloat32> xt, Operand<TInt32> t, Operand<TInt32> y) {
    Operand<TFloat32> emb = embedding.apply(pass, t, y);
    Operand<TFloat32> h = input.apply(pass, xt);
    for (ResBlock block : blocks) {
      h = block.apply(pass, h, emb);
    }
    return output.apply(pass, Activations.silu(tf, outputNorm.apply(pass, h)));
  }
}
