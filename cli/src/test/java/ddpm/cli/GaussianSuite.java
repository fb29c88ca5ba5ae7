package ddpm.cli;

import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import java.nio.file.Path;

/** An embedded suite under {@code dir} serving "gauss": an exact Gaussian denoiser of 4 × 4 × 1 images, T = 10. */
final class GaussianSuite {
  private GaussianSuite() {}

  static EmbeddedSuite start(GrpcCleanup grpc, Path dir) throws Exception {
    Path models = dir.resolve("models");
    ModelCard card = ExactDenoisers.card("gauss", 4, 4, 1, 10, "linear");
    ExactDenoisers.publishGaussian(new ModelRepository(models), card, 0, 0.5f);
    return grpc.register(new EmbeddedSuite(
        new EmbeddedSuite.SuitePaths(models, dir.resolve("data"), dir.resolve("work"))));
  }
}
