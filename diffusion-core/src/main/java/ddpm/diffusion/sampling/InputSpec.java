package ddpm.diffusion.sampling;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What one extra input of ε_θ holds for each image: its element type and its per-image shape, empty for one
 * value per image such as a class label. A batch of N images carries it as a tensor of shape [N, ...shape].
 */
public record InputSpec(Dtype dtype, List<Integer> shape) {
  /** The element types an extra input may have. */
  public enum Dtype { INT32, FLOAT32 }

  public InputSpec {
    Objects.requireNonNull(dtype, "dtype");
    shape = List.copyOf(shape);
    if (shape.stream().anyMatch(d -> d < 1)) {
      throw new IllegalArgumentException("shape: every per-image dimension must be ≥ 1, got " + shape);
    }
  }

  public static InputSpec int32(int... shape) {
    return new InputSpec(Dtype.INT32, Arrays.stream(shape).boxed().toList());
  }

  public static InputSpec float32(int... shape) {
    return new InputSpec(Dtype.FLOAT32, Arrays.stream(shape).boxed().toList());
  }

  /** The values of one image: the product of {@code shape}. */
  public int valuesPerImage() {
    return shape.stream().reduce(1, Math::multiplyExact);
  }

  /** The batch's shape with {@code images} (a count, or "N") as its leading dimension, e.g. "[N, 3]". */
  public String batchShape(Object images) {
    return Stream.concat(Stream.of(images), shape.stream()).map(String::valueOf)
        .collect(Collectors.joining(", ", "[", "]"));
  }

  @Override
  public String toString() {
    return dtype + " " + batchShape("N");
  }
}
