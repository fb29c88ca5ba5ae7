package ddpm.cli;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.ListModelsRequest;
import ddpm.api.v1.ModelVersions;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.grpc.Channels;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.MetricsScrape;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The services of one process test as child JVMs ({@link ServiceProcess}), stopped after the test through its
 * {@link GrpcCleanup}, and the calls those tests make on them.
 */
final class ServedProcesses {
  /** Long enough for a cold JVM on a loaded two-core CI machine; a fault that is not repaired fails the test. */
  static final Duration PATIENCE = Duration.ofMinutes(2);

  private final GrpcCleanup grpc;

  ServedProcesses(GrpcCleanup grpc) {
    this.grpc = grpc;
  }

  /**
   * A repository at {@code dir}/models holding version 1 of {@code model}: the exact denoiser of independent
   * pixels N(0.1, 0.4²), 4×4×1, T = 1000 on the cosine schedule, whose images are cheap to sample and compare.
   */
  static Path publishGaussian(Path dir, String model) throws IOException {
    Path models = dir.resolve("models");
    ExactDenoisers.publishGaussian(new ModelRepository(models), gaussianCard(model), 0.1f, 0.4f);
    return models;
  }

  static ModelCard gaussianCard(String model) {
    return ExactDenoisers.card(model, 4, 4, 1, 1000, "cosine");
  }

  /** {@code ddpm serve NAME --port 0 ARGS}, stopped (SIGTERM) after the test. */
  ServiceProcess serve(String name, String... args) throws IOException {
    return grpc.register(ServiceProcess.start(name, args));
  }

  /** The port of {@code service}'s address, for starting another process on it. */
  static String port(ServiceProcess service) {
    return service.address().substring(service.address().lastIndexOf(':') + 1);
  }

  static void awaitServing(ServiceProcess... services) {
    for (ServiceProcess service : services) {
      service.awaitServing(PATIENCE.toSeconds());
    }
  }

  /** A plaintext channel to {@code service}, closed after the test. */
  ManagedChannel channelTo(ServiceProcess service) {
    return grpc.register(Channels.plaintext(service.address()));
  }

  /** The events of {@code request} sent to {@code sampler}, with a deadline of {@link #PATIENCE}. */
  Iterator<SampleResponse> sample(ServiceProcess sampler, SampleRequest request) {
    return SamplerServiceGrpc.newBlockingStub(channelTo(sampler))
        .withDeadlineAfter(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).sample(request);
  }

  /**
   * Asks {@code denoiser} for its models until {@code condition} holds of them, a few times a second: how a
   * test waits for a watcher in another process to act on a change it made to the repository. AssertionError
   * if it does not hold within {@link #PATIENCE}.
   */
  List<ModelVersions> awaitModels(ServiceProcess denoiser, String what, Predicate<List<ModelVersions>> condition) {
    var stub = DenoiserServiceGrpc.newBlockingStub(channelTo(denoiser));
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    List<ModelVersions> models = List.of();
    while (System.nanoTime() < deadline) {
      models = stub.withDeadlineAfter(10, TimeUnit.SECONDS).listModels(ListModelsRequest.getDefaultInstance())
          .getModelsList();
      if (condition.test(models)) {
        return models;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    throw new AssertionError(what + ": not within " + PATIENCE + "; the denoiser lists " + models);
  }

  /** The requests {@code service} answered with anything but OK, by method, from its metrics. */
  static long refused(ServiceProcess service, String method) throws IOException, InterruptedException {
    return Math.round(MetricsScrape.of(service.metricsUrl().orElseThrow()).sum("ddpm_grpc_server_requests_total",
        labels -> labels.contains("method=\"" + method + "\"") && !labels.contains("code=\"OK\"")));
  }
}
