package ddpm.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtraInputsTest {
  /** Labels y and a 2-value embedding e for three images. */
  private static final ExtraInputs THREE = ExtraInputs.of(Map.of(
      "y", ExtraInput.int32(new int[] {4, 5, 6}),
      "e", ExtraInput.float32(new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3}, 2)));

  @Test
  void holdsEachInputsValuesWithItsPerImageSpecInNameOrder() {
    assertEquals(List.of("e", "y"), List.copyOf(THREE.asMap().keySet()));
    assertEquals(Map.of("e", InputSpec.float32(2), "y", InputSpec.int32()), THREE.specs());
    ExtraInput e = THREE.asMap().get("e");
    assertEquals(3, e.images());
    assertArrayEquals(new long[] {3, 2}, e.batchShape());
    assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3}, e.floats());
    assertThrows(IllegalStateException.class, e::ints);
    assertEquals("FLOAT32 [N, 2]", e.spec().toString());
  }

  @Test
  void rowsThenConcatGiveTheBatchBack() {
    ExtraInputs first = THREE.rows(0, 1);
    ExtraInputs rest = THREE.rows(1, 3);
    assertArrayEquals(new int[] {5, 6}, rest.asMap().get("y").ints());
    assertArrayEquals(new float[] {1.5f, 2, 2.5f, 3}, rest.asMap().get("e").floats());
    assertEquals(THREE, ExtraInputs.concat(List.of(first, rest)));
  }

  @Test
  void onlyInputsOfTheSameNamesAndSpecsJoin() {
    ExtraInputs otherShape = ExtraInputs.of(Map.of(
        "y", ExtraInput.int32(new int[] {1}), "e", ExtraInput.float32(new float[] {1, 2, 3}, 3)));
    ExtraInputs floatLabels = ExtraInputs.of(Map.of(
        "y", ExtraInput.float32(new float[] {1}), "e", ExtraInput.float32(new float[] {1, 2}, 2)));
    assertThrows(IllegalArgumentException.class, () -> ExtraInputs.concat(List.of(THREE, otherShape)));
    assertThrows(IllegalArgumentException.class, () -> ExtraInputs.concat(List.of(THREE, floatLabels)));
    assertThrows(IllegalArgumentException.class, () -> ExtraInputs.concat(List.of(THREE, ExtraInputs.NONE)));
    assertSame(ExtraInputs.NONE, ExtraInputs.concat(List.of(ExtraInputs.NONE, ExtraInputs.NONE)));
  }

  @Test
  void zerosFollowTheSpecs() {
    ExtraInputs zeros = ExtraInputs.zeros(THREE.specs(), 2);
    assertEquals(THREE.specs(), zeros.specs());
    assertArrayEquals(new int[2], zeros.asMap().get("y").ints());
    assertArrayEquals(new float[4], zeros.asMap().get("e").floats());
    assertSame(ExtraInputs.NONE, ExtraInputs.zeros(Map.of(), 5));
  }

  @Test
  void everyInputHoldsTheSameNumberOfImages() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExtraInputs.of(Map.of(
        "y", ExtraInput.int32(new int[] {1, 2}), "z", ExtraInput.int32(new int[] {1, 2, 3}))));
    assertTrue(e.getMessage().contains("{y=2, z=3}"), e.getMessage());
    THREE.requireImages(3);
    IllegalArgumentException four = assertThrows(IllegalArgumentException.class, () -> THREE.requireImages(4));
    assertTrue(four.getMessage().contains("\"e\" holds 3 images"), four.getMessage());
    ExtraInputs.NONE.requireImages(7);
  }

  @Test
  void refusesValuesThatDoNotMakeWholeImagesAndEmptyDimensions() {
    assertThrows(IllegalArgumentException.class, () -> ExtraInput.float32(new float[5], 2));
    assertThrows(IllegalArgumentException.class, () -> ExtraInput.int32(new int[0], 0));
    assertThrows(IllegalArgumentException.class, () -> ExtraInputs.of(Map.of(" ", ExtraInput.int32(new int[1]))));
  }

  @Test
  void isImmutable() {
    int[] labels = {1, 2};
    ExtraInput y = ExtraInput.int32(labels);
    labels[0] = 9;
    y.ints()[1] = 9;
    assertArrayEquals(new int[] {1, 2}, y.ints());
    assertEquals(ExtraInput.int32(new int[] {1, 2}), y);
    assertNotEquals(ExtraInput.float32(new float[] {1, 2}), y);
  }
}
