package ddpm.denoiser.core;

import java.util.List;

/** A model of the repository with its versions, ascending; the highest is what version 0 means. */
public record ModelVersions(String name, List<Long> versions) {
  public ModelVersions {
    versions = List.copyOf(versions);
  }

  public long defaultVersion() {
    return versions.get(versions.size() - 1);
  }
}
