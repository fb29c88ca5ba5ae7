package ddpm.trainer.graph;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** A U-Net stage on NHWC activations, given the timestep embedding (which only residual blocks use). */
interface Layer {
  Operand<TFloat32> apply(Pass pass, Operand<TFloat32> x, Operand<TFloat32> embedding);
}
