package ddpm.diffusion.likelihood;

import ddpm.diffusion.sampling.VarianceKind;
import java.util.Arrays;

/**
 * One image's variational bound under one variance choice, in bits per dimension (docs/math.md §13): the prior
 * L_T and the T terms by network timestep, term 0 the decoder L_0 and term i ≥ 1 the KL L_i.
 */
public record ImageBound(VarianceKind variance, double prior, double[] terms) {
  /** The bound: L_T + Σ_i L_i, an upper bound on −log₂ p(x_0) per dimension. */
  public double total() {
    return prior + Arrays.stream(terms).sum();
  }

  /** L_0, the decoder's −log₂ likelihood of the pixel values per dimension. */
  public double decoder() {
    return terms[0];
  }

  /** Σ_{i ≥ 1} L_i, every KL term of the bound. */
  public double klSum() {
    return total() - prior - decoder();
  }
}
