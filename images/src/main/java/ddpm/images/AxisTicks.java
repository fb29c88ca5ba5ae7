package ddpm.images;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where an axis gets its tick marks: at round values (1, 2 or 5 times a power of ten) inside the data's range, as a
 * reader would label the axis by hand, rather than at even fractions of the range (4, 1303, 2602, …).
 */
final class AxisTicks {
  private static final double[] MANTISSAS = {1, 2, 5};
  /** More 1-2-5 ticks than this on a log axis crowd it: only the powers of ten are kept. */
  private static final int MAX_LOG_TICKS = 8;

  private AxisTicks() {}

  /** About {@code target} round values from {@code min} to {@code max}, evenly spaced. */
  static List<Double> linear(double min, double max, int target) {
    BigDecimal step = roundStep((max - min) / target);
    double size = step.doubleValue();
    List<Double> ticks = new ArrayList<>();
    // Whole steps in decimal, so that the third tick of 0.2 is 0.6 and not 0.6000000000000001.
    for (long i = (long) Math.ceil(min / size - 1e-9); i * size <= max + size * 1e-9; i++) {
      ticks.add(step.multiply(BigDecimal.valueOf(i)).doubleValue());
    }
    return ticks;
  }

  /**
   * Round values for a log axis spanning 10^{@code log10Min} to 10^{@code log10Max}: 1, 2 and 5 times the powers of
   * ten, only the powers of ten when those are too many, and linear round values when the range holds fewer than
   * two of them.
   */
  static List<Double> log(double log10Min, double log10Max, int target) {
    double min = Math.pow(10, log10Min);
    double max = Math.pow(10, log10Max);
    List<Double> ticks = new ArrayList<>();
    for (int exponent = (int) Math.floor(log10Min); exponent <= (int) Math.ceil(log10Max); exponent++) {
      for (double mantissa : MANTISSAS) {
        double value = mantissa * Math.pow(10, exponent);
        if (value >= min * (1 - 1e-9) && value <= max * (1 + 1e-9)) {
          ticks.add(value);
        }
      }
    }
    if (ticks.size() > MAX_LOG_TICKS) {
      ticks.removeIf(v -> Math.abs(Math.log10(v) - Math.rint(Math.log10(v))) > 1e-9);
    }
    return ticks.size() >= 2 ? ticks : linear(min, max, target);
  }

  /** A tick value as written on the axis: plain digits without trailing zeros; exponent form below 1e-4 and from 1e6. */
  static String label(double value) {
    double magnitude = Math.abs(value);
    if (value != 0 && (magnitude < 1e-4 || magnitude >= 1e6)) {
      return String.format(Locale.ROOT, "%.3g", value);
    }
    return new BigDecimal(String.format(Locale.ROOT, "%.6g", value)).stripTrailingZeros().toPlainString();
  }

  /** The value of 1, 2, 5 × 10^k nearest to {@code raw} on a log scale, as an exact decimal. */
  private static BigDecimal roundStep(double raw) {
    int exponent = (int) Math.floor(Math.log10(raw));
    double best = 1;
    for (double mantissa : new double[] {2, 5, 10}) {
      if (Math.abs(Math.log(mantissa * Math.pow(10, exponent) / raw))
          < Math.abs(Math.log(best * Math.pow(10, exponent) / raw))) {
        best = mantissa;
      }
    }
    return BigDecimal.valueOf((long) best).scaleByPowerOfTen(exponent);
  }
}
