package ddpm.denoiser.core;

import java.util.List;

/** A model of the repository with the versions present, ascending. */
public record ModelVersions(String name, List<Long> versions) {
  public ModelVersions {
    versions = List.copyOf(versions);
  }
}
