package ddpm.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRepositoryTest {
  @TempDir Path root;

  private ModelRepository repository() {
    return new ModelRepository(root);
  }

  private static void mark(Path dir, String content) throws IOException {
    Files.writeString(dir.resolve("weights"), content);
  }

  private List<String> entries(String model) throws IOException {
    try (Stream<Path> paths = Files.list(root.resolve(model))) {
      return paths.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void listsVersionsInNumericOrderAndIgnoresEverythingElse() throws IOException {
    for (String dir : List.of("10", "2", "1", "0", "01", "latest", ".staging-x")) {
      Files.createDirectories(root.resolve("m").resolve(dir));
    }
    Files.writeString(root.resolve("m").resolve("3"), "a file, not a version");
    ModelRepository repository = repository();
    assertEquals(List.of(1L, 2L, 10L), repository.versions("m"));
    assertEquals(OptionalLong.of(10), repository.latestVersion("m"));
    assertEquals(List.of(), repository.versions("absent"));
    assertEquals(OptionalLong.empty(), repository.latestVersion("absent"));
  }

  @Test
  void listsOnlyModelsWithAVersionSorted() throws IOException {
    Files.createDirectories(root.resolve("zeta/1"));
    Files.createDirectories(root.resolve("alpha/4"));
    Files.createDirectories(root.resolve("empty"));
    Files.createDirectories(root.resolve(".hidden/1"));
    assertEquals(List.of("alpha", "zeta"), repository().modelNames());
    assertEquals(List.of(), new ModelRepository(root.resolve("missing")).modelNames());
  }

  @Test
  void resolvesZeroToTheHighestAndNamesWhatIsMissing() throws IOException {
    Files.createDirectories(root.resolve("m/1"));
    Files.createDirectories(root.resolve("m/3"));
    ModelRepository repository = repository();
    assertEquals(3, repository.resolve("m", 0));
    assertEquals(1, repository.resolve("m", 1));
    NoSuchElementException noVersion = assertThrows(NoSuchElementException.class, () -> repository.resolve("m", 2));
    assertTrue(noVersion.getMessage().startsWith("version:") && noVersion.getMessage().contains("[1, 3]"),
        noVersion.getMessage());
    NoSuchElementException noModel = assertThrows(NoSuchElementException.class,
        () -> repository.resolve("x", 0, "init_from", "init_from_version"));
    assertEquals("init_from: no model \"x\" in the repository", noModel.getMessage(), "and not where it is");
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> repository.resolve("m", -1));
    assertTrue(negative.getMessage().startsWith("version:"), negative.getMessage());
  }

  @Test
  void refusesNamesThatAreNotAPlainFolderName() {
    for (String bad : List.of("", "../m", "a/b", ".hidden", "-dash")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> repository().versions(bad));
      assertTrue(e.getMessage().startsWith("model:"), e.getMessage());
    }
    ModelRepository.checkName("mnist-v2.1_b", "model");
  }

  @Test
  void aLongNameIsCutInTheMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelRepository.checkName("n".repeat(9000), "model"));
    assertTrue(e.getMessage().startsWith("model: \"nnn") && e.getMessage().contains("… (9000 characters)\"")
        && e.getMessage().length() < 300, e.getMessage());
  }

  @Test
  void publishWritesIntoAHiddenFolderThenRenamesItToTheNextVersion() throws IOException {
    ModelRepository repository = repository();
    Files.createDirectories(root.resolve("m/4"));
    List<Path> staged = new ArrayList<>();
    long version = repository.publish("m", dir -> {
      staged.add(dir);
      assertEquals(root.resolve("m"), dir.getParent());
      assertTrue(dir.getFileName().toString().startsWith("."), "a watcher skips it: " + dir);
      mark(dir, "five");
      assertEquals(List.of(4L), repository.versions("m"), "nothing half-written is a version");
    });
    assertEquals(5, version);
    assertEquals("five", Files.readString(repository.versionDir("m", 5).resolve("weights")));
    assertFalse(Files.exists(staged.get(0)));
    assertEquals(List.of("4", "5"), entries("m"));
  }

  @Test
  void aWriterThatFailsLeavesNoVersionAndNoStagingFolder() throws IOException {
    ModelRepository repository = repository();
    IOException failure = new IOException("disk full");
    IOException e = assertThrows(IOException.class, () -> repository.publish("m", dir -> {
      mark(dir, "partial");
      throw failure;
    }));
    assertSame(failure, e);
    assertEquals(List.of(), repository.versions("m"));
    assertEquals(List.of(), entries("m"));
  }

  @Test
  void aWriterThatWritesNothingPublishesNothing() throws IOException {
    ModelRepository repository = repository();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> repository.publish("m", dir -> {}));
    assertTrue(e.getMessage().contains("nothing"), e.getMessage());
    assertEquals(List.of(), entries("m"));
  }

  @Test
  void publishersRacingForOneVersionEachGetTheirOwn() throws Exception {
    int publishers = 6;
    ModelRepository repository = repository();
    Files.createDirectories(root.resolve("m/1"));
    mark(root.resolve("m/1"), "first");
    // Every writer finishes only once all have staged, so all of them try to take version 2 at once.
    CyclicBarrier staged = new CyclicBarrier(publishers);
    ExecutorService threads = Executors.newFixedThreadPool(publishers);
    try {
      List<Future<Long>> versions = new ArrayList<>();
      for (int i = 0; i < publishers; i++) {
        String content = "publisher " + i;
        versions.add(threads.submit(() -> repository.publish("m", dir -> {
          mark(dir, content);
          try {
            staged.await(1, TimeUnit.MINUTES);
          } catch (Exception e) {
            throw new IOException(e);
          }
        })));
      }
      List<Long> got = new ArrayList<>();
      for (int i = 0; i < publishers; i++) {
        long version = versions.get(i).get(1, TimeUnit.MINUTES);
        got.add(version);
        assertEquals("publisher " + i, Files.readString(repository.versionDir("m", version).resolve("weights")),
            "version " + version + " holds what its own publisher wrote");
      }
      assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L), got.stream().sorted().toList());
      assertEquals("first", Files.readString(repository.versionDir("m", 1).resolve("weights")));
      assertEquals(List.of("1", "2", "3", "4", "5", "6", "7"), entries("m"), "no staging folder is left behind");
    } finally {
      threads.shutdownNow();
    }
  }
}
