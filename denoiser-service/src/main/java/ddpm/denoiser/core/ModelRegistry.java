package ddpm.denoiser.core;

import ddpm.denoiser.engine.EpsNetworkLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads each (model, version) once, on its first request, and keeps it until {@link #close()}. Requests
 * that arrive while a version is loading wait for that one load. A failed load is not remembered, so a
 * repaired folder loads on a later request.
 */
public final class ModelRegistry implements AutoCloseable {
  private record Key(String name, long version) {}

  private final ModelCatalog catalog;
  private final EpsNetworkLoader loader;
  private final Map<Key, CompletableFuture<LoadedModel>> models = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public ModelRegistry(ModelCatalog catalog, EpsNetworkLoader loader) {
    this.catalog = catalog;
    this.loader = loader;
  }

  /** The loaded {@code name} at {@code version} (0: the highest present now). */
  public LoadedModel get(String name, long version) {
    if (closed) {
      throw shuttingDown(name);
    }
    Key key = new Key(name, catalog.resolve(name, version));
    CompletableFuture<LoadedModel> mine = new CompletableFuture<>();
    CompletableFuture<LoadedModel> existing = models.putIfAbsent(key, mine);
    if (existing != null) {
      return await(existing);
    }
    try {
      VersionedCard card = catalog.describe(name, key.version());
      LoadedModel loaded = new LoadedModel(card, loader.load(catalog.versionDir(card), card.card()));
      publish(key, mine, loaded);
    } catch (RuntimeException | Error e) {
      models.remove(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
    return mine.join();
  }

  /** Closes every loaded network; later requests fail with IllegalStateException. */
  @Override
  public void close() {
    List<CompletableFuture<LoadedModel>> loaded;
    synchronized (this) {
      closed = true;
      loaded = new ArrayList<>(models.values());
      models.clear();
    }
    for (CompletableFuture<LoadedModel> model : loaded) {
      if (model.isDone() && !model.isCompletedExceptionally()) {
        model.join().network().close();
      }
    }
  }

  /** Completes a load unless close() already ran, so that no network outlives the registry. */
  private void publish(Key key, CompletableFuture<LoadedModel> future, LoadedModel loaded) {
    synchronized (this) {
      if (!closed) {
        future.complete(loaded);
        return;
      }
    }
    loaded.network().close();
    throw shuttingDown(key.name());
  }

  private static IllegalStateException shuttingDown(String name) {
    return new IllegalStateException("model \"" + name + "\": the denoiser is shutting down");
  }

  private static LoadedModel await(CompletableFuture<LoadedModel> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }
}
