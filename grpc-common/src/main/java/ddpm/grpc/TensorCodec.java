package ddpm.grpc;

import com.google.protobuf.ByteString;
import ddpm.api.v1.DType;
import ddpm.api.v1.Tensor;
import ddpm.diffusion.Echo;
import ddpm.diffusion.sampling.ExtraInput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Converts between {@link Tensor} messages and Java arrays. Decoding validates the dtype, the shape and
 * the byte length, and names the request field in every error, so handlers can pass bad input straight
 * back as INVALID_ARGUMENT.
 */
public final class TensorCodec {
  /** The most elements one decoded tensor may hold: its values must fit in one Java array of bytes. */
  static final long MAX_ELEMENTS = Integer.MAX_VALUE / Float.BYTES;

  private TensorCodec() {}

  public static Tensor float32(float[] values, long... shape) {
    checkCount(values.length, shape);
    ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(values);
    return build(DType.FLOAT32, buf, shape);
  }

  public static Tensor int32(int[] values, long... shape) {
    checkCount(values.length, shape);
    ByteBuffer buf = ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asIntBuffer().put(values);
    return build(DType.INT32, buf, shape);
  }

  public static Tensor uint8(byte[] values, long... shape) {
    checkCount(values.length, shape);
    return build(DType.UINT8, ByteBuffer.wrap(values), shape);
  }

  /** An extra input of ε_θ as INT32 or FLOAT32 [N, ...per-image shape]. */
  public static Tensor tensor(ExtraInput input) {
    return switch (input.spec().dtype()) {
      case INT32 -> int32(input.ints(), input.batchShape());
      case FLOAT32 -> float32(input.floats(), input.batchShape());
    };
  }

  /**
   * An extra input of ε_θ, INT32 or FLOAT32 with the batch first and every other dimension ≥ 1; {@code field}
   * names it in errors. Whether the network takes it is for the caller to check.
   */
  public static ExtraInput toExtraInput(Tensor tensor, String field) {
    long[] shape = shape(tensor);
    if (shape.length < 1 || Arrays.stream(shape, 1, shape.length).anyMatch(d -> d < 1 || d > Integer.MAX_VALUE)) {
      throw new IllegalArgumentException(field + ": shape must be [N, ...] with the batch first and every other "
          + "dimension ≥ 1, got " + Echo.shape(shape));
    }
    int[] perImage = Arrays.stream(shape, 1, shape.length).mapToInt(d -> (int) d).toArray();
    return switch (tensor.getDtype()) {
      case INT32 -> ExtraInput.int32(toInts(tensor, field), perImage);
      case FLOAT32 -> ExtraInput.float32(toFloats(tensor, field), perImage);
      default -> throw new IllegalArgumentException(
          field + ": dtype must be INT32 or FLOAT32, got " + tensor.getDtype());
    };
  }

  /** The elements of a FLOAT32 tensor; {@code field} names it in errors. */
  public static float[] toFloats(Tensor tensor, String field) {
    float[] out = new float[checkedCount(tensor, DType.FLOAT32, field)];
    littleEndian(tensor).asFloatBuffer().get(out);
    return out;
  }

  /** The elements of an INT32 tensor; {@code field} names it in errors. */
  public static int[] toInts(Tensor tensor, String field) {
    int[] out = new int[checkedCount(tensor, DType.INT32, field)];
    littleEndian(tensor).asIntBuffer().get(out);
    return out;
  }

  /** The elements of a UINT8 tensor, as stored (read them with {@code b & 0xFF}). */
  public static byte[] toBytes(Tensor tensor, String field) {
    checkedCount(tensor, DType.UINT8, field);
    return tensor.getData().toByteArray();
  }

  public static long[] shape(Tensor tensor) {
    return tensor.getShapeList().stream().mapToLong(Long::longValue).toArray();
  }

  static int elementSize(DType dtype) {
    return switch (dtype) {
      case FLOAT32, INT32 -> 4;
      case UINT8 -> 1;
      default -> throw new IllegalArgumentException("unsupported dtype " + dtype);
    };
  }

  private static int checkedCount(Tensor tensor, DType expected, String field) {
    if (tensor.getDtype() != expected) {
      throw new IllegalArgumentException(
          field + ": dtype must be " + expected + ", got " + tensor.getDtype());
    }
    long[] shape = shape(tensor);
    long count = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException(field + ": shape " + Echo.shape(shape) + " has a negative dimension");
      }
      // Checked before multiplying, so that no product of dimensions can overflow.
      if (dim > 0 && count > MAX_ELEMENTS / dim) {
        throw new IllegalArgumentException(field + ": shape " + Echo.shape(shape) + " has more than "
            + MAX_ELEMENTS + " elements, the most one tensor may hold");
      }
      count *= dim;
    }
    long expectedBytes = count * elementSize(expected);
    if (tensor.getData().size() != expectedBytes) {
      throw new IllegalArgumentException(field + ": data has " + tensor.getData().size()
          + " bytes but shape " + Echo.shape(shape) + " of " + expected + " needs " + expectedBytes);
    }
    return (int) count;
  }

  private static ByteBuffer littleEndian(Tensor tensor) {
    return tensor.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void checkCount(int count, long[] shape) {
    long expected = 1;
    for (long dim : shape) {
      expected *= dim;
    }
    if (expected != count) {
      throw new IllegalStateException(count + " values do not fill shape " + Arrays.toString(shape));
    }
  }

  private static Tensor build(DType dtype, ByteBuffer data, long[] shape) {
    Tensor.Builder b = Tensor.newBuilder().setDtype(dtype).setData(ByteString.copyFrom(data.rewind()));
    for (long dim : shape) {
      b.addShape(dim);
    }
    return b.build();
  }
}
