package ddpm.denoiser.core;

import ddpm.denoiser.batch.BatchListener;
import ddpm.denoiser.batch.BatchingConfig;
import ddpm.denoiser.batch.DynamicBatcher;
import ddpm.denoiser.engine.EpsNetwork;
import ddpm.denoiser.engine.EpsNetworkLoader;
import ddpm.diffusion.sampling.ExtraInputs;
import ddpm.diffusion.sampling.InputSpec;
import ddpm.repository.EpsContract;
import ddpm.repository.ModelCard;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Turns a version folder into a {@link ServedModel}: loads the network with the loader of its card's format,
 * then runs one batch through it (x_t and every extra input zero; its size {@link ModelLoading#warmUpImages})
 * before any request can reach it, so the first callers do not pay the engine's first-run cost and a network
 * that returns the wrong shape or non-finite ε is refused instead of served. A card that declares classes needs
 * a network that takes their labels.
 */
public final class VersionLoader {
  private final EpsNetworkLoader loader;
  private final BatchingConfig batching;
  private final int warmUpImages;
  private final Function<VersionedCard, BatchListener> listeners;

  public VersionLoader(EpsNetworkLoader loader, BatchingConfig batching, ModelLoading loading,
      Function<VersionedCard, BatchListener> listeners) {
    this.loader = loader;
    this.batching = batching;
    this.warmUpImages = loading.warmUpImages(batching);
    this.listeners = listeners;
  }

  /**
   * IllegalStateException with the reason when the folder cannot serve its card. Clients read the reason
   * (ListModels, LoadModel), so it names the folder as the repository does, {@code mnist/3}, never by the server's
   * absolute path.
   */
  public ServedModel load(VersionedCard card, Path versionDir) {
    String folder = card.name() + "/" + card.version();
    EpsNetwork network;
    try {
      network = loader.load(versionDir, card.card());
    } catch (IllegalStateException e) {
      // The loaders name the folder by its path, and TensorFlow's messages quoted in theirs may too.
      throw new IllegalStateException(String.valueOf(e.getMessage()).replace(versionDir.toString(), folder), e);
    }
    int numClasses = card.card().numClasses();
    if (numClasses > 0 && !InputSpec.int32().equals(network.extraInputs().get(EpsContract.Y))) {
      network.close();
      throw new IllegalStateException(folder + ": model.json declares " + numClasses + " classes, but the network "
          + "does not take their labels as the input " + EpsContract.Y + ", int32 [N]; its extra inputs are "
          + network.extraInputs());
    }
    try {
      warmUp(network, card.card());
    } catch (RuntimeException e) {
      network.close();
      throw new IllegalStateException(folder + ": warm-up failed: " + e.getMessage(), e);
    }
    String name = card.name() + "-" + card.version();
    return new ServedModel(card, network,
        new DynamicBatcher(network, imageValues(card.card()), batching, listeners.apply(card), name));
  }

  private void warmUp(EpsNetwork network, ModelCard card) {
    int n = warmUpImages;
    int[] t = new int[n];
    Arrays.fill(t, card.timesteps() - 1);
    float[] eps = network.predict(new float[n * imageValues(card)], t, ExtraInputs.zeros(network.extraInputs(), n));
    if (eps.length != n * imageValues(card)) {
      throw new IllegalStateException("the network returned " + eps.length + " values for " + n + " images of "
          + card.imageShape());
    }
    for (float v : eps) {
      if (!Float.isFinite(v)) {
        throw new IllegalStateException("the network returned a non-finite ε (" + v + ") for x_t = 0");
      }
    }
  }

  private static int imageValues(ModelCard card) {
    return card.height() * card.width() * card.channels();
  }
}
