package ddpm.diffusion.sampling;

import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * One step of DPM-Solver++(2M) (Lu et al. 2022, the multistep data-prediction solver of the probability-flow
 * ODE) from position k to k−1. With α = sqrt(abar), σ = sqrt(1 − abar), λ = log(α/σ) and h = λ_next − λ:
 * x ← (σ_next/σ) · x + (α_next − σ_next · α/σ) · D, which is −α_next (e^{−h} − 1) D written without the
 * infinite λ of the end. D is this step's x0_hat on the first and the last step (the first-order solver, DDIM
 * with η = 0), and otherwise (1 + 1/(2r)) x0_hat − 1/(2r) x0_hat_previous, r = h_previous/h. The last step
 * goes to abar_prev = 1 and returns its x0_hat.
 *
 * <p>It remembers the previous step's x0_hat, so one instance serves one batch from x_T to x_0.
 */
public final class DpmSolverPp2mStep implements ReverseStep {
  private final double[] sqrtAlphasCumprod;
  private final double[] sqrtOneMinusAlphasCumprod;
  private final double[] xCoefs;
  private final double[] x0Coefs;
  private final double[] lambdaSteps;
  private final boolean clipX0;
  private double[] previousX0Hat;
  private int previousK = -1;

  /** @param clipX0 clip each x0_hat to [−1, 1] before it is used or remembered */
  public DpmSolverPp2mStep(NoiseSchedule schedule, boolean clipX0) {
    this.clipX0 = clipX0;
    sqrtAlphasCumprod = schedule.sqrtAlphasCumprod();
    sqrtOneMinusAlphasCumprod = schedule.sqrtOneMinusAlphasCumprod();
    double[] abar = schedule.alphasCumprod();
    double[] abarPrev = schedule.alphasCumprodPrev();
    double[] sqrtAlphasCumprodPrev = schedule.sqrtAlphasCumprodPrev();
    int steps = abar.length;
    xCoefs = new double[steps];
    x0Coefs = new double[steps];
    lambdaSteps = new double[steps];
    for (int k = 0; k < steps; k++) {
      double sigmaNext = Math.sqrt(1 - abarPrev[k]);
      xCoefs[k] = sigmaNext / sqrtOneMinusAlphasCumprod[k];
      x0Coefs[k] = sqrtAlphasCumprodPrev[k] - xCoefs[k] * sqrtAlphasCumprod[k];
      lambdaSteps[k] = lambda(abarPrev[k]) - lambda(abar[k]);
    }
  }

  /** λ = log(sqrt(abar)/sqrt(1 − abar)); +∞ at abar = 1, which only the last step reaches. */
  private static double lambda(double abar) {
    return 0.5 * Math.log(abar / (1 - abar));
  }

  @Override
  public boolean addsNoise(int k) {
    return false;
  }

  @Override
  public float[] apply(float[] x, float[] eps, int k, double[] z) {
    StepMath.checkLengths(x, eps, k, z, false);
    boolean secondOrder = k > 0 && previousK == k + 1;
    // 1/(2r) with r = h_previous/h; h_previous is the step that came from position k + 1.
    double previousWeight = secondOrder ? lambdaSteps[k] / (2 * lambdaSteps[k + 1]) : 0;
    double[] x0Hat = new double[x.length];
    float[] out = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      x0Hat[j] = StepMath.x0Hat(x[j], eps[j], sqrtAlphasCumprod[k], sqrtOneMinusAlphasCumprod[k], clipX0);
      double d = secondOrder ? (1 + previousWeight) * x0Hat[j] - previousWeight * previousX0Hat[j] : x0Hat[j];
      out[j] = (float) (xCoefs[k] * x[j] + x0Coefs[k] * d);
    }
    previousX0Hat = x0Hat;
    previousK = k;
    return out;
  }
}
