package ddpm.denoiser.engine;

import ddpm.repository.ModelCard;
import java.nio.file.Path;

/**
 * Loads the network in a version folder: one loader per model.json format ({@link DjlEpsNetwork#load} for a
 * SavedModel), and {@link FormatLoaders} picks among them by the card. A folder that cannot serve its card fails
 * with IllegalStateException.
 */
@FunctionalInterface
public interface EpsNetworkLoader {
  EpsNetwork load(Path versionDir, ModelCard card);
}
