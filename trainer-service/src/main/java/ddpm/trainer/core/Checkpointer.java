package ddpm.trainer.core;

import com.google.gson.JsonObject;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.trainer.checkpoint.AtomicFiles;
import ddpm.trainer.checkpoint.Checkpoint;
import ddpm.trainer.checkpoint.CheckpointStore;
import ddpm.trainer.checkpoint.LossHistory;
import ddpm.trainer.graph.TrainingSession;
import ddpm.trainer.preview.LossCurve;
import ddpm.trainer.preview.SamplePreview;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Writes one run's checkpoints and, beside them in the model's work folder, its previews:
 * {@code loss-curve.png} (replaced each time) and {@code samples-<step>.png} (one per checkpoint, drawn with
 * the moving-average weights).
 */
final class Checkpointer {
  static final String LOSS_CURVE = "loss-curve.png";

  private final CheckpointStore store;
  private final TrainingSpec spec;
  private final TrainingSession session;
  private final NoiseSchedule schedule;
  private final LossHistory history;
  private final BooleanSupplier cancelled;

  Checkpointer(CheckpointStore store, TrainingSpec spec, TrainingSession session, NoiseSchedule schedule,
      LossHistory history, BooleanSupplier cancelled) {
    this.store = store;
    this.spec = spec;
    this.session = session;
    this.schedule = schedule;
    this.history = history;
    this.cancelled = cancelled;
  }

  /** The run description a resumed request is checked against. */
  static JsonObject runDescription(TrainingSpec spec, int step) {
    JsonObject run = new JsonObject();
    run.addProperty("step", step);
    run.add("spec", SpecJson.spec(spec));
    return run;
  }

  CheckpointReport write(int step) throws IOException {
    Checkpoint checkpoint =
        store.write(spec.modelName(), step, session::saveVariables, runDescription(spec, step), history);
    Path dir = store.modelDir(spec.modelName());
    Path curve = dir.resolve(LOSS_CURVE);
    AtomicFiles.write(curve, LossCurve.png(history.values()));
    Path grid = dir.resolve("samples-" + step + ".png");
    AtomicFiles.write(grid, SamplePreview.png(session::predict, schedule, session.imageShape(), spec.seed(), cancelled));
    return new CheckpointReport(step, store.inWorkFolder(checkpoint.dir()), store.inWorkFolder(curve),
        store.inWorkFolder(grid));
  }
}
