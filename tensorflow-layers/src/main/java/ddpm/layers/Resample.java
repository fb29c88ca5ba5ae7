package ddpm.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Changes of resolution of NHWC activations, keeping the channel count. */
public final class Resample {
  private Resample() {}

  /** Halves H and W with a learned 3×3 convolution of stride 2. */
  public static Layer down(Params params, String name, int channels) {
    return Conv2d.halving(params, name, channels, channels);
  }

  /** Doubles H and W by nearest-neighbour repetition, then smooths with a 3×3 convolution. */
  public static Layer up(Params params, String name, int channels) {
    Ops tf = params.tf();
    Conv2d conv = Conv2d.create(params, name, 3, channels, channels);
    return (pass, x) -> {
      int height = (int) x.shape().get(1);
      int width = (int) x.shape().get(2);
      Operand<TFloat32> doubled =
          tf.image.resizeNearestNeighbor(x, tf.constant(new int[] {2 * height, 2 * width}));
      return conv.apply(pass, doubled);
    };
  }
}
