package ddpm.cli;

import ddpm.denoiser.core.ModelLoading;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.tensorflow.DeviceChoice;
import ddpm.tensorflow.GroupNormKernel;
import ddpm.tensorflow.PrecisionChoice;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Run all four services in one JVM on loopback until interrupted.")
final class UpCommand implements Callable<Integer> {
  @Mixin SuiteOptions suite;

  @Option(names = "--metrics",
      description = "Each service also serves Prometheus metrics over HTTP on a free loopback port, printed with"
          + " its address.")
  boolean metrics;

  @Option(names = "--metrics-base-port", paramLabel = "N",
      description = "Serve the metrics (as --metrics does) on fixed loopback ports instead: the scheduler's on N,"
          + " the denoiser's on N+1, the sampler's on N+2, the trainer's on N+3.")
  Integer metricsBasePort;

  @Mixin DeviceOptions device;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    int metricsPorts = metrics ? 0 : Endpoint.NO_METRICS;
    if (metricsBasePort != null) {
      try {
        metricsPorts = EmbeddedSuite.requireMetricsBasePort(metricsBasePort);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
      }
    }
    EmbeddedSuite services = new EmbeddedSuite(suite.paths(), metricsPorts,
        DeviceChoice.parse(device.device, DeviceOptions.FLAG),
        PrecisionChoice.parse(device.precision, DeviceOptions.PRECISION_FLAG), ModelLoading.AT_START,
        GroupNormKernel.parse(device.groupNorm, DeviceOptions.GROUP_NORM_FLAG));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      services.close();
      stopped.countDown();
    }));
    for (ServerRunner server : services.servers()) {
      spec.commandLine().getOut().printf("%-10s %s%s%n", server.name(), server.address(),
          server.metricsUrl().map(url -> "  metrics " + url).orElse(""));
    }
    spec.commandLine().getOut().println("models from " + suite.modelRepository().toAbsolutePath() + "; Ctrl-C stops");
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }
}
