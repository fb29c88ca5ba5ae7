package ddpm.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import ddpm.api.v1.DType;
import ddpm.api.v1.Tensor;
import ddpm.diffusion.sampling.ExtraInput;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorCodecTest {
  @Test
  void float32IsLittleEndianRowMajor() {
    Tensor t = TensorCodec.float32(new float[] {1f, -2.5f}, 1, 2);
    assertEquals(DType.FLOAT32, t.getDtype());
    assertEquals(java.util.List.of(1L, 2L), t.getShapeList());
    // 1.0f is 0x3F800000: its lowest byte comes first on the wire.
    assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F}, t.getData().substring(0, 4).toByteArray());
    assertArrayEquals(new float[] {1f, -2.5f}, TensorCodec.toFloats(t, "x_t"));
  }

  @Test
  void int32AndUint8RoundTrip() {
    assertArrayEquals(new int[] {0, 999, -1}, TensorCodec.toInts(TensorCodec.int32(new int[] {0, 999, -1}, 3), "t"));
    byte[] pixels = {0, (byte) 255, 7};
    assertArrayEquals(pixels, TensorCodec.toBytes(TensorCodec.uint8(pixels, 3), "images"));
  }

  @Test
  void aByteLengthThatDoesNotMatchTheShapeIsRefusedNamingTheField() {
    Tensor bad = TensorCodec.float32(new float[] {1f, 2f}, 2).toBuilder().setData(ByteString.copyFrom(new byte[7])).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorCodec.toFloats(bad, "x_t"));
    assertTrue(e.getMessage().startsWith("x_t:") && e.getMessage().contains("8"), e.getMessage());
  }

  @Test
  void aWrongDtypeOrNegativeDimensionIsRefused() {
    Tensor ints = TensorCodec.int32(new int[] {1}, 1);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TensorCodec.toFloats(ints, "x_t"))
        .getMessage().contains("FLOAT32"));
    Tensor negative = Tensor.newBuilder().setDtype(DType.INT32).addShape(-1).build();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TensorCodec.toInts(negative, "t"))
        .getMessage().contains("negative"));
  }

  /** Such a shape once overflowed the product of its dimensions, which answered INTERNAL. */
  @Test
  void aShapeWhoseProductOverflowsIsRefusedNamingTheField() {
    Tensor huge = Tensor.newBuilder().setDtype(DType.FLOAT32)
        .addShape(1L << 32).addShape(1L << 32).addShape(1L << 32).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorCodec.toFloats(huge, "x_t"));
    assertTrue(e.getMessage().startsWith("x_t: shape [4294967296, 4294967296, 4294967296] has more than"),
        e.getMessage());
    Tensor empty = Tensor.newBuilder().setDtype(DType.FLOAT32).addShape(0).addShape(Long.MAX_VALUE).build();
    assertEquals(0, TensorCodec.toFloats(empty, "x_t").length);
  }

  @Test
  void aShapeOfMillionsOfDimensionsIsCutInTheMessage() {
    Tensor.Builder ones = Tensor.newBuilder().setDtype(DType.FLOAT32);
    for (int i = 0; i < 100_000; i++) {
      ones.addShape(1);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TensorCodec.toFloats(ones.build(), "x_t"));
    assertTrue(e.getMessage().length() < 300, e.getMessage());
  }

  @Test
  void anExtraInputTravelsWithTheBatchFirstAndComesBackEqual() {
    ExtraInput labels = ExtraInput.int32(new int[] {3, 0, 7});
    ExtraInput embedding = ExtraInput.float32(new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3}, 2);
    Tensor wire = TensorCodec.tensor(embedding);
    assertEquals(DType.FLOAT32, wire.getDtype());
    assertEquals(List.of(3L, 2L), wire.getShapeList());
    assertEquals(embedding, TensorCodec.toExtraInput(wire, "inputs[\"e\"]"));
    assertEquals(List.of(3L), TensorCodec.tensor(labels).getShapeList());
    assertEquals(labels, TensorCodec.toExtraInput(TensorCodec.tensor(labels), "inputs[\"y\"]"));
  }

  @Test
  void anExtraInputWithoutABatchDimensionOrOfAnotherDtypeIsRefusedNamingTheField() {
    IllegalArgumentException scalar = assertThrows(IllegalArgumentException.class,
        () -> TensorCodec.toExtraInput(TensorCodec.int32(new int[] {1}), "inputs[\"y\"]"));
    assertTrue(scalar.getMessage().startsWith("inputs[\"y\"]: shape must be [N, ...]"), scalar.getMessage());
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> TensorCodec.toExtraInput(TensorCodec.int32(new int[0], 2, 0), "inputs[\"y\"]"));
    assertTrue(empty.getMessage().contains("every other dimension ≥ 1"), empty.getMessage());
    IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class,
        () -> TensorCodec.toExtraInput(TensorCodec.uint8(new byte[] {1}, 1), "inputs[\"y\"]"));
    assertEquals("inputs[\"y\"]: dtype must be INT32 or FLOAT32, got UINT8", bytes.getMessage());
  }
}
