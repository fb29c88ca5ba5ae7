package ddpm.diffusion.likelihood;

import java.util.List;

/**
 * What one image's evaluation yields: its bound under each variance choice asked for, and, per network timestep
 * (shared by every choice, as ε_θ is), the mean squared error of ε_θ against the noise drawn and of x0_hat
 * against x_0, as improved-diffusion's calc_bpd_loop reports them.
 */
public record ImageLikelihood(List<ImageBound> bounds, double[] epsMse, double[] x0Mse) {}
