package ddpm.trainer.metrics;

import ddpm.trainer.core.CheckpointReport;
import ddpm.trainer.core.StepReport;
import ddpm.trainer.core.Trainer;
import ddpm.trainer.core.TrainingListener;
import ddpm.trainer.core.TrainingSpec;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * A trainer whose every step also lands in its server's registry, by model name:
 * {@code ddpm_trainer_step} and {@code ddpm_trainer_loss} (the model's latest step and its loss, kept after
 * the job ends) and {@code ddpm_trainer_images_total} (training images drawn). Jobs are labelled by model
 * rather than by job id, so that the number of series grows with the models, not with every run.
 */
public final class MeteredTrainer implements Trainer {
  private final Trainer trainer;
  private final Gauge step;
  private final Gauge loss;
  private final Counter images;

  public MeteredTrainer(Trainer trainer, PrometheusRegistry registry) {
    this.trainer = trainer;
    step = Gauge.builder()
        .name("ddpm_trainer_step")
        .help("Latest optimizer step of the model's training job")
        .labelNames("model")
        .register(registry);
    loss = Gauge.builder()
        .name("ddpm_trainer_loss")
        .help("Loss of the latest optimizer step of the model's training job")
        .labelNames("model")
        .register(registry);
    images = Counter.builder()
        .name("ddpm_trainer_images_total")
        .help("Training images drawn, batch size per step")
        .labelNames("model")
        .register(registry);
  }

  @Override
  public TrainingSpec prepare(TrainingSpec spec) {
    return trainer.prepare(spec);
  }

  @Override
  public void train(String jobId, TrainingSpec spec, TrainingListener listener, BooleanSupplier cancelled)
      throws Exception {
    trainer.train(jobId, spec, new Recording(spec, listener), cancelled);
  }

  /** Records each step before passing it on, so that a watcher that has seen a step also sees it recorded. */
  private final class Recording implements TrainingListener {
    private final TrainingListener listener;
    private final String model;
    private final int batchSize;

    Recording(TrainingSpec spec, TrainingListener listener) {
      this.listener = listener;
      this.model = spec.modelName();
      this.batchSize = spec.batchSize();
    }

    @Override
    public void onResume(int resumedStep, double resumedLoss) {
      step.labelValues(model).set(resumedStep);
      loss.labelValues(model).set(resumedLoss);
      listener.onResume(resumedStep, resumedLoss);
    }

    @Override
    public void onStep(StepReport report) {
      step.labelValues(model).set(report.step());
      loss.labelValues(model).set(report.loss());
      images.labelValues(model).inc(batchSize);
      listener.onStep(report);
    }

    @Override
    public void onCheckpoint(CheckpointReport checkpoint) {
      listener.onCheckpoint(checkpoint);
    }

    @Override
    public void onExport(String model, long version, Path path) {
      listener.onExport(model, version, path);
    }
  }
}
