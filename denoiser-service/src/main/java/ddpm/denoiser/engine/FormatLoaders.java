package ddpm.denoiser.engine;

import ddpm.repository.ModelCard;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Loads a version with the loader of its card's {@code format}, as Triton picks a backend by a model's
 * platform: another engine is one more {@link EpsNetworkLoader} under its format's name. A version in a format
 * this denoiser has no loader for is refused at load, naming the formats it serves.
 */
public final class FormatLoaders implements EpsNetworkLoader {
  private final Map<String, EpsNetworkLoader> byFormat;

  public FormatLoaders(Map<String, EpsNetworkLoader> byFormat) {
    this.byFormat = new TreeMap<>(byFormat);
  }

  @Override
  public EpsNetwork load(Path versionDir, ModelCard card) {
    EpsNetworkLoader loader = byFormat.get(card.format());
    if (loader == null) {
      throw new IllegalStateException(versionDir + ": model.json's format \"" + card.format()
          + "\" is not one this denoiser serves; it serves " + byFormat.keySet());
    }
    return loader.load(versionDir, card);
  }
}
