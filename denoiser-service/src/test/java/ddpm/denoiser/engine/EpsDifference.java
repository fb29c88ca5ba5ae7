package ddpm.denoiser.engine;

import java.util.Locale;

/** How far one network's ε is from a reference's for the same inputs: the largest |Δε|, and Δε's RMS over ε's. */
record EpsDifference(double maxAbs, double relativeRms) {
  static EpsDifference of(float[] reference, float[] other) {
    double maxAbs = 0;
    double squares = 0;
    double norm = 0;
    for (int i = 0; i < reference.length; i++) {
      double d = (double) other[i] - reference[i];
      maxAbs = Math.max(maxAbs, Math.abs(d));
      squares += d * d;
      norm += (double) reference[i] * reference[i];
    }
    return new EpsDifference(maxAbs, Math.sqrt(squares / norm));
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "max |Δε| %.3g, relative RMS %.3g", maxAbs, relativeRms);
  }
}
