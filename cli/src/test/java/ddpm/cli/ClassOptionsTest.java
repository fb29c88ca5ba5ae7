package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class ClassOptionsTest {
  private static final IntSupplier NOT_ASKED = () -> {
    throw new AssertionError("only --per-class asks for the model's classes");
  };

  @Test
  void oneClassIsEveryImages() {
    assertArrayEquals(new int[] {4, 4, 4}, options(4, null, null).labels(3, false, NOT_ASKED));
    assertArrayEquals(new int[] {4, 4}, options(null, List.of(4), null).labels(2, true, NOT_ASKED));
  }

  @Test
  void severalClassesSetTheCountWithoutNAndMustMatchIt() {
    ClassOptions classes = options(null, List.of(1, 0, 1), null);
    assertArrayEquals(new int[] {1, 0, 1}, classes.labels(16, false, NOT_ASKED));
    assertArrayEquals(new int[] {1, 0, 1}, classes.labels(3, true, NOT_ASKED));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> classes.labels(16, true, NOT_ASKED));
    assertEquals("--classes gives 3 classes for --n 16: give one class for every image or exactly 16",
        e.getMessage());
  }

  @Test
  void perClassDrawsKOfEachOfTheModelsClassesInClassOrder() {
    ClassOptions perClass = options(null, null, 2);
    assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2}, perClass.labels(16, false, () -> 3));
    assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2}, perClass.labels(6, true, () -> 3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> perClass.labels(16, true, () -> 3));
    assertEquals("--per-class 2 over 3 classes draws 6 images, but --n is 16: leave --n out or give 6",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> options(null, null, 0).labels(16, false, () -> 3));
  }

  private static ClassOptions options(Integer single, List<Integer> perImage, Integer perClass) {
    ClassOptions options = new ClassOptions();
    options.single = single;
    options.perImage = perImage;
    options.perClass = perClass;
    return options;
  }
}
