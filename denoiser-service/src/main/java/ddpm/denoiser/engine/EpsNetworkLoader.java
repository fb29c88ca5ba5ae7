package ddpm.denoiser.engine;

import ddpm.repository.ModelCard;
import java.nio.file.Path;

/** Loads the SavedModel in a version folder; a folder that cannot serve its card fails with IllegalStateException. */
@FunctionalInterface
public interface EpsNetworkLoader {
  EpsNetwork load(Path versionDir, ModelCard card);
}
