package ddpm.layers;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** One layer's ops on a float32 activation, reading its weights as the {@link Pass} says. */
@FunctionalInterface
public interface Layer {
  Operand<TFloat32> apply(Pass pass, Operand<TFloat32> x);
}
