package ddpm.trainer;

import com.google.inject.Guice;
import com.google.inject.Injector;
import ddpm.grpc.Channels;
import ddpm.grpc.ServerRunner;
import ddpm.layers.SessionThreads;
import ddpm.tensorflow.Precision;
import ddpm.trainer.graph.TrainingGraph;
import ddpm.trainer.graph.TrainingSession;
import ddpm.trainer.grpc.TrainerGrpcService;
import ddpm.trainer.jobs.JobManager;
import io.grpc.ManagedChannel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.List;

/** Starts the training service. */
public final class TrainerServer {
  private TrainerServer() {}

  /**
   * Binds {@code config}'s endpoint (port 0 picks a free one) and serves until the runner is closed, which
   * then cancels the jobs, waits for the running one to stop, and closes the scheduler channel. A precision that
   * would not run on this CPU fails here, naming {@code --precision}, before anything listens.
   */
  public static ServerRunner start(TrainerConfig config) throws IOException {
    Precision precision = config.precision().selectForTraining("--precision");
    return start(config, TrainingGraph.factory(SessionThreads.TRAINING, precision));
  }

  /** Trains what {@code sessions} opens: TensorFlow graphs in the service, a stand-in in tests of the rest. */
  public static ServerRunner start(TrainerConfig config, TrainingSession.Factory sessions) throws IOException {
    Injector injector = Guice.createInjector(new TrainerModule(config, sessions));
    ManagedChannel scheduler = injector.getInstance(ManagedChannel.class);
    return ServerRunner.builder("trainer", config.endpoint(), List.of(injector.getInstance(TrainerGrpcService.class)))
        .closeAfter(injector.getInstance(JobManager.class), () -> Channels.close(scheduler))
        .metrics(injector.getInstance(PrometheusRegistry.class))
        .start();
  }
}
