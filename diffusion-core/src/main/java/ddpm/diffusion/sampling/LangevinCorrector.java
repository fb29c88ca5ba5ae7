package ddpm.diffusion.sampling;

import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * One Langevin corrector step at position k (Song et al. 2021, Algorithm 5 without its α factor; docs/math.md
 * §12), image by image: with the score s = −ε/σ_t, σ_t = sqrt(1 − abar[k]), and a step size
 * δ = 2 (r ‖z‖ / ‖s‖)² from the image's own norms, x ← x + δ s + sqrt(2δ) z. An image whose ε is exactly 0 has
 * no score to follow and is left as it is.
 */
final class LangevinCorrector {
  private final double[] sqrtOneMinusAlphasCumprod;
  private final double snr;

  LangevinCorrector(NoiseSchedule schedule, double snr) {
    this.sqrtOneMinusAlphasCumprod = schedule.sqrtOneMinusAlphasCumprod();
    this.snr = snr;
  }

  /** x after one step at position k, given ε_θ(x, k) and the noise z, images of {@code valuesPerImage} values. */
  float[] apply(float[] x, float[] eps, int k, double[] z, int valuesPerImage) {
    StepMath.checkLengths(x, eps, k, z, true);
    double sigma = sqrtOneMinusAlphasCumprod[k];
    float[] out = x.clone();
    for (int from = 0; from < x.length; from += valuesPerImage) {
      int to = from + valuesPerImage;
      double epsSquares = 0;
      double noiseSquares = 0;
      for (int j = from; j < to; j++) {
        epsSquares += (double) eps[j] * eps[j];
        noiseSquares += z[j] * z[j];
      }
      if (epsSquares == 0) {
        continue;
      }
      // δ s = −δ ε/σ with ‖s‖² = ‖ε‖²/σ², so δ = 2 r² ‖z‖² σ² / ‖ε‖².
      double delta = 2 * snr * snr * noiseSquares * sigma * sigma / epsSquares;
      double noiseScale = Math.sqrt(2 * delta);
      for (int j = from; j < to; j++) {
        out[j] = (float) (x[j] - delta * eps[j] / sigma + noiseScale * z[j]);
      }
    }
    return out;
  }
}
