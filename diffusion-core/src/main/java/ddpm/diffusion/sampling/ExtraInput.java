package ddpm.diffusion.sampling;

import ddpm.diffusion.sampling.InputSpec.Dtype;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.LongStream;

/**
 * One extra input of ε_θ for a batch of images: {@link #images()} values of its {@link InputSpec}, row-major,
 * image after image. Immutable: the arrays it is given and hands out are copies.
 */
public final class ExtraInput {
  private final InputSpec spec;
  private final int images;
  private final int[] ints;
  private final float[] floats;

  private ExtraInput(InputSpec spec, int[] ints, float[] floats) {
    int values = ints != null ? ints.length : floats.length;
    if (values % spec.valuesPerImage() != 0) {
      throw new IllegalArgumentException(values + " values do not make whole images of " + spec);
    }
    this.spec = spec;
    this.images = values / spec.valuesPerImage();
    this.ints = ints;
    this.floats = floats;
  }

  /** int32 values, {@code shape} per image (none: one value per image). */
  public static ExtraInput int32(int[] values, int... shape) {
    return new ExtraInput(InputSpec.int32(shape), values.clone(), null);
  }

  /** float32 values, {@code shape} per image (none: one value per image). */
  public static ExtraInput float32(float[] values, int... shape) {
    return new ExtraInput(InputSpec.float32(shape), null, values.clone());
  }

  /** Zeros of {@code spec} for {@code images} images. */
  public static ExtraInput zeros(InputSpec spec, int images) {
    int values = Math.multiplyExact(images, spec.valuesPerImage());
    return spec.dtype() == Dtype.INT32
        ? new ExtraInput(spec, new int[values], null)
        : new ExtraInput(spec, null, new float[values]);
  }

  public InputSpec spec() {
    return spec;
  }

  public int images() {
    return images;
  }

  /** [images, ...per-image shape]. */
  public long[] batchShape() {
    return LongStream.concat(LongStream.of(images), spec.shape().stream().mapToLong(Integer::longValue)).toArray();
  }

  /** The values of an INT32 input. */
  public int[] ints() {
    requireDtype(Dtype.INT32);
    return ints.clone();
  }

  /** The values of a FLOAT32 input. */
  public float[] floats() {
    requireDtype(Dtype.FLOAT32);
    return floats.clone();
  }

  /** Images [from, to) of this input. */
  ExtraInput rows(int from, int to) {
    int per = spec.valuesPerImage();
    return ints != null
        ? new ExtraInput(spec, Arrays.copyOfRange(ints, from * per, to * per), null)
        : new ExtraInput(spec, null, Arrays.copyOfRange(floats, from * per, to * per));
  }

  /** The images of {@code parts} one after another; every part has {@code spec}. */
  static ExtraInput concat(InputSpec spec, List<ExtraInput> parts) {
    int values = Math.multiplyExact(parts.stream().mapToInt(ExtraInput::images).sum(), spec.valuesPerImage());
    int[] ints = spec.dtype() == Dtype.INT32 ? new int[values] : null;
    float[] floats = spec.dtype() == Dtype.FLOAT32 ? new float[values] : null;
    int offset = 0;
    for (ExtraInput part : parts) {
      if (!part.spec.equals(spec)) {
        throw new IllegalArgumentException("cannot join an input of " + part.spec + " to one of " + spec);
      }
      int length = part.images * spec.valuesPerImage();
      if (ints != null) {
        System.arraycopy(part.ints, 0, ints, offset, length);
      } else {
        System.arraycopy(part.floats, 0, floats, offset, length);
      }
      offset += length;
    }
    return new ExtraInput(spec, ints, floats);
  }

  private void requireDtype(Dtype dtype) {
    if (spec.dtype() != dtype) {
      throw new IllegalStateException("this input holds " + spec + ", not " + dtype);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExtraInput other && spec.equals(other.spec) && Arrays.equals(ints, other.ints)
        && Arrays.equals(floats, other.floats);
  }

  @Override
  public int hashCode() {
    return Objects.hash(spec, Arrays.hashCode(ints), Arrays.hashCode(floats));
  }

  @Override
  public String toString() {
    String values = ints != null ? Arrays.toString(ints) : Arrays.toString(floats);
    return spec.dtype() + " " + spec.batchShape(images) + " " + values;
  }
}
