package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ddpm.api.v1.ModelVersions;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResult;
import ddpm.api.v1.VersionState;
import ddpm.api.v1.VersionStatus;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.SampleEvents;
import ddpm.testing.Slow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model repository changed under a running denoiser process, as an operator's shell or a copy job changes
 * it: the default version's folder deleted, and a version copied in file by file. The denoiser watches it every
 * 0.1 s here; requests go through a sampler process.
 */
@Slow
class RepositoryFaultsTest {
  private static final String MODEL = "gauss";
  private static final ModelCard CARD = ServedProcesses.gaussianCard(MODEL);

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  private final ServedProcesses processes = new ServedProcesses(grpc);
  @TempDir Path dir;
  private ModelRepository repository;

  @BeforeEach
  void publishTheFirstVersion() throws IOException {
    repository = new ModelRepository(ServedProcesses.publishGaussian(dir, MODEL));
  }

  /**
   * Today's bug was NOT_FOUND for every version-0 request for as long as the process lived: now the deleted
   * default is unloaded, and version 0 means version 1 again, with version 1's images.
   */
  @Test
  void deletingTheDefaultsFolderFallsBackToTheVersionBelow() throws Exception {
    ExactDenoisers.publishGaussian(repository, CARD, -0.3f, 0.4f);
    Served served = serve();
    byte[] first = SampleEvents.images(sample(served.sampler, 1));
    assertEquals(2, sample(served.sampler, 0).getVersion());

    long deleting = System.nanoTime();
    delete(repository.versionDir(MODEL, 2));
    processes.awaitModels(served.denoiser, "version 2 gone and version 1 the default",
        models -> gauss(models).filter(m -> m.getVersionsList().equals(List.of(1L)) && m.getDefaultVersion() == 1)
            .isPresent());
    long fellBack = System.nanoTime();
    SampleResult after = sample(served.sampler, 0);

    assertEquals(1, after.getVersion());
    assertArrayEquals(first, SampleEvents.images(after));
    System.out.printf("default version's folder deleted: version 0 meant version 1 again %.2f s later%n",
        (fellBack - deleting) / 1e9);
  }

  /**
   * Version 2 copied in as a slow copy leaves it: every file but model.json, saved_model.pb only half written.
   * The denoiser refuses it while it is incomplete and version 1 keeps serving; once the rest lands and holds
   * still, version 2 loads and becomes the default.
   */
  @Test
  void aVersionCopiedInHalfwayLoadsOnceItsFilesStopChanging() throws Exception {
    Served served = serve();
    byte[] first = SampleEvents.images(sample(served.sampler, 0));
    Path staged = Files.createDirectories(dir.resolve("staged"));
    ExactDenoisers.exportGaussian(staged, CARD, -0.3f, 0.4f);
    Path graph = staged.resolve("saved_model.pb");
    Path card = staged.resolve(ModelCard.FILE_NAME);
    Path target = repository.versionDir(MODEL, 2);

    for (Path file : files(staged)) {
      if (!file.equals(card)) {
        Path copy = Files.createDirectories(target.resolve(staged.relativize(file)).getParent())
            .resolve(file.getFileName());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(copy, file.equals(graph) ? Arrays.copyOf(bytes, bytes.length / 2) : bytes);
      }
    }
    VersionStatus halfway = status(processes.awaitModels(served.denoiser, "the half-copied version 2 refused",
        models -> status(models, 2).filter(s -> s.getState() == VersionState.REFUSED).isPresent()), 2).orElseThrow();
    SampleResult meanwhile = sample(served.sampler, 0);
    assertEquals(1, meanwhile.getVersion());
    assertArrayEquals(first, SampleEvents.images(meanwhile));

    Files.copy(graph, target.resolve("saved_model.pb"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(card, target.resolve(ModelCard.FILE_NAME));
    processes.awaitModels(served.denoiser, "version 2 ready and the default",
        models -> gauss(models).filter(m -> m.getDefaultVersion() == 2).isPresent()
            && status(models, 2).filter(s -> s.getState() == VersionState.READY).isPresent());
    SampleResult complete = sample(served.sampler, 0);

    assertEquals(2, complete.getVersion());
    assertFalse(Arrays.equals(first, SampleEvents.images(complete)));
    assertFalse(halfway.getReason().contains(dir.toString()), halfway.getReason());
    System.out.println("version 2 half-copied: refused (" + halfway.getReason() + "), version 1 kept serving;"
        + " complete: loaded and made the default");
  }

  private record Served(ServiceProcess denoiser, ServiceProcess sampler) {}

  private Served serve() throws IOException {
    ServiceProcess scheduler = processes.serve("scheduler");
    ServiceProcess denoiser = processes.serve("denoiser", "--models", repository.root().toString(),
        "--repository-poll", "PT0.1S");
    ServiceProcess sampler = processes.serve("sampler", "--scheduler", scheduler.address(),
        "--denoiser", denoiser.address());
    ServedProcesses.awaitServing(scheduler, denoiser, sampler);
    return new Served(denoiser, sampler);
  }

  private SampleResult sample(ServiceProcess sampler, long version) {
    return SampleEvents.result(processes.sample(sampler, SampleRequest.newBuilder().setModel(MODEL)
        .setVersion(version).setSteps(20).setNumImages(4).setSeed(5).build()));
  }

  private static Optional<ModelVersions> gauss(List<ModelVersions> models) {
    return models.stream().filter(m -> m.getName().equals(MODEL)).findFirst();
  }

  private static Optional<VersionStatus> status(List<ModelVersions> models, long version) {
    return gauss(models).flatMap(m -> m.getStatusesList().stream().filter(s -> s.getVersion() == version)
        .findFirst());
  }

  private static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
