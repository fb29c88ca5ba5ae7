package ddpm.trainer.core;

import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleSource;
import ddpm.trainer.checkpoint.CheckpointWriter;
import ddpm.trainer.data.Dataset;
import ddpm.trainer.data.Datasets;
import ddpm.trainer.export.SavedModelExporter;
import ddpm.trainer.export.SavedModelExporter.Published;
import ddpm.trainer.export.TrainingCards;
import ddpm.trainer.graph.TrainingGraph;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Trains ε_θ on a data set with the scheduler's coefficients, writes checkpoints under
 * {@code <workDir>/<jobId>/}, and publishes the result as the next version of the model.
 */
public final class DdpmTrainer implements Trainer {
  private final Datasets datasets;
  private final ScheduleSource schedules;
  private final SavedModelExporter exporter;
  private final Path workDir;

  public DdpmTrainer(Datasets datasets, ScheduleSource schedules, SavedModelExporter exporter, Path workDir) {
    this.datasets = datasets;
    this.schedules = schedules;
    this.exporter = exporter;
    this.workDir = workDir;
  }

  @Override
  public void checkReady(TrainingSpec spec) {
    datasets.checkAvailable(spec.dataset());
  }

  @Override
  public void train(String jobId, TrainingSpec spec, TrainingListener listener, BooleanSupplier cancelled)
      throws Exception {
    Dataset data = datasets.load(spec.dataset());
    NoiseSchedule schedule = schedules.fullSchedule(spec.schedule(), spec.timesteps());
    try (TrainingGraph graph = new TrainingGraph(data.shape(), spec.network(), schedule, spec.learningRate(), spec.seed())) {
      TrainLoop loop = new TrainLoop(graph, new BatchSampler(data, spec.timesteps(), spec.seed()),
          new CheckpointWriter(workDir.resolve(jobId)), listener, cancelled);
      TrainLoop.Outcome outcome = loop.run(spec.steps(), spec.batchSize(), spec.checkpointEvery());
      if (cancelled.getAsBoolean()) {
        throw new CancellationException("cancelled before export");
      }
      Published published = exporter.publish(graph,
          TrainingCards.of(spec, data.shape(), outcome.finalLoss(), outcome.wallSeconds()));
      listener.onExport(published.model(), published.version(), published.path());
    }
  }
}
