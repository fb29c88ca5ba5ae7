package ddpm.denoiser.core;

import ddpm.repository.Folders;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * What the repository holds, read fresh on every call so newly published versions show up. A version
 * folder whose model.json is missing or invalid is a fault of the repository, not of the request, so
 * it is reported as IllegalStateException rather than as bad input.
 */
public final class ModelCatalog {
  private final ModelRepository repository;

  public ModelCatalog(ModelRepository repository) {
    this.repository = repository;
  }

  public List<ModelVersions> list() {
    return repository.modelNames().stream()
        .map(name -> new ModelVersions(name, repository.versions(name)))
        .filter(m -> !m.versions().isEmpty())
        .toList();
  }

  /** Versions of {@code name} in the repository, ascending; NoSuchElementException when there are none. */
  public List<Long> versions(String name) {
    List<Long> versions = repository.versions(name);
    if (versions.isEmpty()) {
      repository.resolve(name, 0);
    }
    return versions;
  }

  /**
   * The highest version of {@code name} in the repository now, whatever its state in this denoiser (to a
   * request, version 0 means the default instead: see {@link ModelRegistry#resolve}); NoSuchElementException
   * when there is none.
   */
  public long newest(String name) {
    return repository.resolve(name, 0);
  }

  /** NoSuchElementException, naming the versions present, unless the repository holds {@code version} (≥ 1). */
  public void requirePresent(String name, long version) {
    repository.resolve(name, version);
  }

  /** The card of {@code name} at {@code version} (≥ 1); NoSuchElementException when absent. */
  public VersionedCard describe(String name, long version) {
    requirePresent(name, version);
    Path dir = repository.versionDir(name, version);
    try {
      return new VersionedCard(name, version, ModelCard.read(dir));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("model \"" + name + "\" version " + version + ": cannot read " + name + "/"
          + version + "/" + ModelCard.FILE_NAME + ": " + Folders.problem(e), e);
    }
  }

  /** The classes of {@code version} of {@code name} (0: unconditional), or 0 while its card cannot be read. */
  public int numClasses(String name, long version) {
    try {
      return describe(name, version).card().numClasses();
    } catch (IllegalStateException | NoSuchElementException e) {
      return 0;
    }
  }

  public Path versionDir(VersionedCard card) {
    return repository.versionDir(card.name(), card.version());
  }

  /** Whether the repository still holds {@code version} (≥ 1) of {@code name}: a look at one folder. */
  boolean holds(String name, long version) {
    return Files.isDirectory(repository.versionDir(name, version));
  }

  /** What the folder of {@code version} of {@code name} holds now. */
  FolderFingerprint fingerprint(String name, long version) {
    return FolderFingerprint.of(repository.versionDir(name, version));
  }
}
