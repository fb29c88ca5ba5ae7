package ddpm.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BuildInfoTest {
  /** Maven filled both in: a placeholder left in would mean the resource was not filtered. */
  @Test
  void namesTheProjectVersionAndTheCommit() {
    BuildInfo build = BuildInfo.current();
    assertTrue(build.version().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), build.version());
    assertTrue(build.commit().matches("[0-9a-f]{7}") || build.commit().equals(BuildInfo.UNKNOWN), build.commit());
  }
}
