package ddpm.trainer.graph;

import ddpm.layers.Layer;
import ddpm.layers.Pass;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** A U-Net stage on NHWC activations, given the timestep embedding (which only residual blocks use). */
interface TimestepLayer {
  Operand<TFloat32> apply(Pass pass, Operand<TFloat32> x, Operand<TFloat32> embedding);

  /** A layer that does not look at the embedding. */
  static TimestepLayer of(Layer layer) {
    return (pass, x, embedding) -> layer.apply(pass, x);
  }
}
