package ddpm.diffusion.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormalCdfTest {
  /** log Φ(z) from mpmath at 30 digits; the far tail is where Φ itself underflows a double. */
  @ParameterizedTest
  @CsvSource({
      "-200, -20006.217280898190402",
      "-40, -804.60844201375378817",
      "-10, -53.231285150512470578",
      "-5, -15.064998393988725736",
      "-2.5, -5.0816482772786904984",
      "-1, -1.8410216450092635058",
      "-0.3, -0.96210281816885065666",
      "0, -0.69314718055994530942",
      "0.7, -0.277023942277131263",
      "3, -0.0013508099647481937988",
      "8, -6.2209605742717858094e-16"})
  void logCdfMatchesHighPrecisionValues(double z, double expected) {
    assertEquals(expected, NormalCdf.logCdf(z), 1e-14 * Math.abs(expected));
  }

  @ParameterizedTest
  @CsvSource({"-Infinity, -Infinity", "Infinity, 0"})
  void theEndsAreExact(double z, double expected) {
    assertEquals(expected, NormalCdf.logCdf(z), 0.0);
  }

  @ParameterizedTest
  @CsvSource({"0.1", "1.3", "1.999", "2", "2.001", "4.5"})
  void theCdfIsSymmetric(double z) {
    assertEquals(1, NormalCdf.cdf(z) + NormalCdf.cdf(-z), 1e-15);
  }

  @ParameterizedTest
  @CsvSource({"NaN"})
  void nanIsRefused(double z) {
    assertThrows(IllegalArgumentException.class, () -> NormalCdf.logCdf(z));
  }
}
