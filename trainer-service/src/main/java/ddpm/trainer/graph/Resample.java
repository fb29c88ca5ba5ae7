package ddpm.trainer.graph;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The U-Net's changes of resolution, keeping the channel count. */
final class Resample {
  private Resample() {}

  /** Halves H and W with a learned 3×3 convolution of stride 2. */
  static Layer down(Params params, String name, int channels) {
    Conv2d conv = Conv2d.halving(params, name, channels, channels);
    return (pass, x, embedding) -> conv.apply(pass, x);
  }

  /** Doubles H and W by nearest-neighbour repetition, then smooths with a 3×3 convolution. */
  static Layer up(Params params, String name, int channels) {
    Ops tf = params.tf();
    Conv2d conv = Conv2d.create(params, name, 3, channels, channels);
    return (pass, x, embedding) -> {
      int height = (int) x.shape().get(1);
      int width = (int) x.shape().get(2);
      Operand<TFloat32> doubled =
          tf.image.resizeNearestNeighbor(x, tf.constant(new int[] {2 * height, 2 * width}));
      return conv.apply(pass, doubled);
    };
  }
}
