package ddpm.cli;

import ddpm.denoiser.DenoiserConfig;
import ddpm.denoiser.DenoiserServer;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.schedule.RemoteScheduleSource;
import ddpm.sampler.SamplerConfig;
import ddpm.sampler.SamplerServer;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.trainer.TrainerConfig;
import ddpm.trainer.TrainerServer;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Run one service alone, for separate processes. Prints \"<service> listening on HOST:PORT\",",
        "then, with --metrics-port, \"<service> metrics on http://HOST:PORT/metrics\"."})
final class ServeCommand implements Callable<Integer> {
  enum Service { scheduler, denoiser, sampler, trainer }

  @Parameters(index = "0", description = "One of: ${COMPLETION-CANDIDATES}.")
  Service service;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "0", description = "Port to bind; 0 picks a free one (default).")
  int port;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "" + Endpoint.NO_METRICS,
      description = "Serve Prometheus metrics over HTTP at http://HOST:PORT/metrics, on --host; 0 picks a free port."
          + " Default: none.")
  int metricsPort;

  @Option(names = "--drain-timeout", paramLabel = "SECONDS",
      defaultValue = "" + Endpoint.DEFAULT_DRAIN_TIMEOUT_SECONDS,
      description = "On SIGTERM, how long calls in flight (a sampler's whole Sample requests included) may finish"
          + " before they are cancelled; the process exits as soon as they have. Keep a deployment's grace period"
          + " above it (default: ${DEFAULT-VALUE}).")
  double drainTimeout;

  @Option(names = "--scheduler", paramLabel = "TARGET",
      description = "Scheduler service for the sampler and the trainer: HOST:PORT, replicas HOST:PORT,HOST:PORT,..."
          + " or a gRPC name such as dns:///scheduler.ddpm.svc.cluster.local:50051 (calls spread round-robin"
          + " over every address; a call one replica refuses is retried on another, and a restarting one waited"
          + " for, within --scheduler-timeout or --denoiser-timeout).")
  String scheduler;

  @Option(names = "--denoiser", paramLabel = "TARGET",
      description = "Denoiser service for the sampler, in the same syntax as --scheduler: one address, a list"
          + " of replicas, or dns:///NAME:PORT for a Kubernetes headless Service.")
  String denoiser;

  @Mixin BatchingOptions batching;

  @Option(names = "--repository-poll", defaultValue = DenoiserConfig.DEFAULT_REPOSITORY_POLL, paramLabel = "DURATION",
      description = "Denoiser: how often to look for new model versions, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration repositoryPoll;

  @Option(names = "--unload-grace", defaultValue = DenoiserConfig.DEFAULT_UNLOAD_GRACE, paramLabel = "DURATION",
      description = "Denoiser: how long a replaced version stays loaded after its last request (default: "
          + "${DEFAULT-VALUE}).")
  Duration unloadGrace;

  @Option(names = "--denoiser-timeout", paramLabel = "SECONDS",
      defaultValue = "" + SamplerConfig.DEFAULT_DENOISER_CALL_TIMEOUT_SECONDS,
      description = "Sampler: deadline of one denoiser call (a step), retries and waits for a restarting denoiser"
          + " included; a sampling request's"
          + " own deadline applies too when it is sooner (default: ${DEFAULT-VALUE}).")
  double denoiserTimeout;

  @Option(names = "--scheduler-timeout", paramLabel = "SECONDS",
      defaultValue = "" + RemoteScheduleSource.DEFAULT_CALL_TIMEOUT_SECONDS,
      description = "Sampler and trainer: deadline of one scheduler call (a sampling request's schedule, or a"
          + " training job's as it starts), retries included; a sampling request's own deadline applies too when it"
          + " is sooner (default: ${DEFAULT-VALUE}).")
  double schedulerTimeout;

  @Option(names = "--max-images", defaultValue = "" + SamplerConfig.DEFAULT_MAX_IMAGES,
      description = "Sampler: most images one request may ask for (default: ${DEFAULT-VALUE}).")
  int maxImages;

  @Mixin SuiteOptions suite;

  @Mixin ServeSecurityOptions security;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Endpoint endpoint = Endpoint.of(host, port).withMetricsPort(metricsPort)
        .withDrainTimeout(seconds(drainTimeout, "--drain-timeout")).withSecurity(security.security());
    ServerRunner server = switch (service) {
      case scheduler -> SchedulerServer.start(new SchedulerConfig(endpoint));
      case denoiser -> DenoiserServer.start(new DenoiserConfig(endpoint, suite.modelRepository(),
          batching.config(), repositoryPoll, unloadGrace));
      case sampler -> SamplerServer.start(new SamplerConfig(endpoint, required(denoiser, "--denoiser"),
          required(scheduler, "--scheduler"), maxImages, seconds(denoiserTimeout, "--denoiser-timeout"),
          seconds(schedulerTimeout, "--scheduler-timeout")));
      case trainer -> TrainerServer.start(new TrainerConfig(endpoint, required(scheduler, "--scheduler"),
          suite.modelRepository(), suite.data, suite.work, seconds(schedulerTimeout, "--scheduler-timeout")));
    };
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    spec.commandLine().getOut().println(server.name() + " listening on " + server.address());
    server.metricsUrl().ifPresent(url -> spec.commandLine().getOut().println(server.name() + " metrics on " + url));
    spec.commandLine().getOut().flush();
    server.awaitTermination();
    return 0;
  }

  private static Duration seconds(double seconds, String option) {
    if (!(seconds > 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException(option + " must be a number of seconds > 0, got " + seconds);
    }
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }

  private String required(String value, String option) {
    if (value == null) {
      throw new IllegalArgumentException(option + " is required to serve the " + service);
    }
    return value;
  }
}
