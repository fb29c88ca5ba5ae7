package ddpm.diffusion.sampling;

/** What every update rule shares: the predicted clean image of docs/math.md §5 and the checks of a step's inputs. */
final class StepMath {
  private StepMath() {}

  /** x0_hat = (x − sqrt(1 − abar) ε) / sqrt(abar), clipped to [−1, 1] when {@code clip}. */
  static double x0Hat(double x, double eps, double sqrtAbar, double sqrtOneMinusAbar, boolean clip) {
    double x0Hat = (x - sqrtOneMinusAbar * eps) / sqrtAbar;
    return clip ? Math.max(-1, Math.min(1, x0Hat)) : x0Hat;
  }

  /** The ε that {@code x0Hat} implies at x: (x − sqrt(abar) x0_hat) / sqrt(1 − abar). */
  static double epsOf(double x, double x0Hat, double sqrtAbar, double sqrtOneMinusAbar) {
    return (x - sqrtAbar * x0Hat) / sqrtOneMinusAbar;
  }

  /** ε and, where the step adds noise, z must be laid out like x. */
  static void checkLengths(float[] x, float[] eps, int k, double[] z, boolean addsNoise) {
    if (eps.length != x.length) {
      throw new IllegalArgumentException("eps has " + eps.length + " values, x has " + x.length);
    }
    if (addsNoise && (z == null || z.length != x.length)) {
      throw new IllegalArgumentException("z must have " + x.length + " values at k = " + k);
    }
  }
}
