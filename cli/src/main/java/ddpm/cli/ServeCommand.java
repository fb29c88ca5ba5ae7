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
import ddpm.tensorflow.DeviceChoice;
import ddpm.tensorflow.GroupNormKernel;
import ddpm.tensorflow.PrecisionChoice;
import ddpm.trainer.TrainerConfig;
import ddpm.trainer.TrainerServer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Run one service alone, for separate processes. Prints \"<service> listening on HOST:PORT\",",
        "then, with --health-port, \"<service> health on HOST:PORT\" and, with --metrics-port,",
        "\"<service> metrics on http://HOST:PORT/metrics\"."})
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

  @Option(names = "--health-port", paramLabel = "PORT", defaultValue = "" + Endpoint.NO_HEALTH_PORT,
      description = "Also serve grpc.health.v1 alone on this port, in plaintext and to every caller, on --host; 0"
          + " picks a free port. For probes that can neither speak TLS nor send a token (Kubernetes' gRPC probes)."
          + " Default: none (health is on the service's port).")
  int healthPort;

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

  @Mixin DeviceOptions device;

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

  @Option(names = "--max-concurrent-requests", defaultValue = "" + SamplerConfig.DEFAULT_MAX_CONCURRENT_REQUESTS,
      description = "Sampler: requests sampled at once (default: ${DEFAULT-VALUE}).")
  int maxConcurrentRequests;

  @Option(names = "--max-queued-requests", defaultValue = "" + SamplerConfig.DEFAULT_MAX_QUEUED_REQUESTS,
      description = "Sampler: requests that may wait for one of those to end; one more is RESOURCE_EXHAUSTED at"
          + " once (default: ${DEFAULT-VALUE}).")
  int maxQueuedRequests;

  @Option(names = "--max-images-per-call", defaultValue = "" + DenoiserConfig.DEFAULT_MAX_IMAGES_PER_CALL,
      description = "Denoiser: most images one PredictNoise call may hold, at most --queue-capacity; a larger call"
          + " is INVALID_ARGUMENT (default: ${DEFAULT-VALUE}).")
  int maxImagesPerCall;

  @Option(names = "--memory-budget", paramLabel = "SIZE",
      description = "Trainer: most memory one training job may take by the trainer's estimate, in bytes or with"
          + " K, M, G or T (binary: 6G = 6 GiB); a larger job is RESOURCE_EXHAUSTED when submitted. Default: half"
          + " of the memory of this machine, or of its container.")
  String memoryBudget;

  @Mixin SuiteOptions suite;

  @Mixin ServeSecurityOptions security;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Endpoint endpoint = Endpoint.of(host, port).withMetricsPort(metricsPort).withHealthPort(healthPort)
        .withDrainTimeout(seconds(drainTimeout, "--drain-timeout")).withSecurity(security.security());
    ServerRunner server = switch (service) {
      case scheduler -> SchedulerServer.start(new SchedulerConfig(endpoint));
      case denoiser -> DenoiserServer.start(new DenoiserConfig(endpoint, suite.modelRepository(),
          batching.config(), repositoryPoll, unloadGrace, maxImagesPerCall,
          DeviceChoice.parse(device.device, DeviceOptions.FLAG),
          PrecisionChoice.parse(device.precision, DeviceOptions.PRECISION_FLAG))
          .withGroupNorm(GroupNormKernel.parse(device.groupNorm, DeviceOptions.GROUP_NORM_FLAG)));
      case sampler -> SamplerServer.start(new SamplerConfig(endpoint, required(denoiser, "--denoiser"),
          required(scheduler, "--scheduler"), maxImages, seconds(denoiserTimeout, "--denoiser-timeout"),
          seconds(schedulerTimeout, "--scheduler-timeout"), maxConcurrentRequests, maxQueuedRequests));
      case trainer -> TrainerServer.start(new TrainerConfig(endpoint, required(scheduler, "--scheduler"),
          suite.modelRepository(), suite.data, suite.work, seconds(schedulerTimeout, "--scheduler-timeout"),
          memoryBudget == null ? TrainerConfig.defaultMemoryBudget() : bytes(memoryBudget, "--memory-budget"),
          PrecisionChoice.parse(device.precision, DeviceOptions.PRECISION_FLAG)));
    };
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    spec.commandLine().getOut().println(server.name() + " listening on " + server.address());
    server.healthAddress().ifPresent(address -> spec.commandLine().getOut().println(server.name() + " health on "
        + address));
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

  /** A size such as 6G, 512M or 1.5G in binary units (K = 1024), or a number of bytes. */
  static long bytes(String size, String option) {
    Matcher parts = Pattern.compile("(\\d+(?:\\.\\d+)?)([KMGT]?)", Pattern.CASE_INSENSITIVE).matcher(size.trim());
    if (!parts.matches()) {
      throw new IllegalArgumentException(option + " must be a size such as 6G, 512M or 1073741824, got " + size);
    }
    String unit = parts.group(2).toUpperCase(Locale.ROOT);
    int shift = unit.isEmpty() ? 0 : 10 * ("KMGT".indexOf(unit) + 1);
    return Math.round(Double.parseDouble(parts.group(1)) * (1L << shift));
  }

  private String required(String value, String option) {
    if (value == null) {
      throw new IllegalArgumentException(option + " is required to serve the " + service);
    }
    return value;
  }
}
