package ddpm.trainer;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import ddpm.grpc.Channels;
import ddpm.metrics.GrpcClientMetrics;
import ddpm.metrics.MetricsModule;
import ddpm.repository.ModelRepository;
import ddpm.trainer.checkpoint.CheckpointStore;
import ddpm.trainer.core.DdpmTrainer;
import ddpm.trainer.core.MemoryBudget;
import ddpm.diffusion.schedule.ScheduleSource;
import ddpm.trainer.core.Trainer;
import ddpm.datasets.Datasets;
import ddpm.grpc.schedule.RemoteScheduleSource;
import ddpm.trainer.graph.TrainingSession;
import ddpm.trainer.grpc.TrainerGrpcService;
import ddpm.trainer.jobs.JobManager;
import ddpm.trainer.metrics.MeteredTrainer;
import io.grpc.ManagedChannel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The trainer's object graph; bindings only. */
public final class TrainerModule extends AbstractModule {
  private final TrainerConfig config;
  private final TrainingSession.Factory sessions;

  /** {@code sessions}: what each job trains (TensorFlow graphs in the service). */
  public TrainerModule(TrainerConfig config, TrainingSession.Factory sessions) {
    this.config = config;
    this.sessions = sessions;
  }

  @Override
  protected void configure() {
    bind(TrainerConfig.class).toInstance(config);
    install(new MetricsModule());
  }

  /** Channels connect lazily: building one starts nothing. */
  @Provides
  @Singleton
  ManagedChannel schedulerChannel(GrpcClientMetrics metrics) {
    return Channels.forTarget(config.schedulerTarget(), config.endpoint().channelCredentials(), metrics);
  }

  @Provides
  @Singleton
  ScheduleSource scheduleSource(ManagedChannel schedulerChannel) {
    return RemoteScheduleSource.kept(schedulerChannel, config.schedulerCallTimeout());
  }

  @Provides
  @Singleton
  Trainer trainer(ScheduleSource schedules, PrometheusRegistry metrics) {
    return new MeteredTrainer(new DdpmTrainer(new Datasets(config.dataDir()), schedules,
        new ModelRepository(config.modelRepository()), new CheckpointStore(config.workDir()), sessions,
        new MemoryBudget(config.memoryBudget())), metrics);
  }

  @Provides
  @Singleton
  JobManager jobManager(Trainer trainer) {
    return new JobManager(trainer);
  }

  @Provides
  @Singleton
  TrainerGrpcService service(JobManager jobs) {
    return new TrainerGrpcService(jobs);
  }
}
