package ddpm.trainer.core;

import ddpm.trainer.checkpoint.LossHistory;
import ddpm.trainer.core.BatchSampler.Batch;
import ddpm.trainer.graph.TrainingSession;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Algorithm 1's loop from a given step to the spec's last: draw, step, report, checkpoint every
 * {@code checkpoint_every} steps and at the end.
 */
final class TrainLoop {
  private final TrainingSpec spec;
  private final TrainingSession session;
  private final BatchSampler sampler;
  private final LossHistory history;
  private final Checkpointer checkpointer;
  private final TrainingListener listener;
  private final BooleanSupplier cancelled;

  TrainLoop(TrainingSpec spec, TrainingSession session, BatchSampler sampler, LossHistory history,
      Checkpointer checkpointer, TrainingListener listener, BooleanSupplier cancelled) {
    this.spec = spec;
    this.session = session;
    this.sampler = sampler;
    this.history = history;
    this.checkpointer = checkpointer;
    this.listener = listener;
    this.cancelled = cancelled;
  }

  /** The loss of the last step and the seconds this loop took. */
  record Outcome(double finalLoss, double wallSeconds) {}

  /** Runs steps {@code done + 1 .. spec.steps()}; the history must hold the losses of steps 1..done. */
  Outcome run(int done) throws IOException {
    long start = System.nanoTime();
    int total = spec.steps();
    for (int step = done + 1; step <= total; step++) {
      if (cancelled.getAsBoolean()) {
        throw new CancellationException("cancelled before step " + step);
      }
      Batch batch = sampler.batch(step, spec.batchSize());
      double rate = spec.learningRateAt(step);
      float loss = session.trainStep(batch.x0(), batch.t(), batch.eps(), batch.y(), step, rate);
      history.add(loss);
      double seconds = (System.nanoTime() - start) / 1e9;
      int stepsHere = step - done;
      listener.onStep(new StepReport(step, total, loss, (double) stepsHere * spec.batchSize() / seconds,
          stepsHere / seconds, rate));
      if (step == total || (spec.checkpointEvery() > 0 && step % spec.checkpointEvery() == 0)) {
        listener.onCheckpoint(checkpointer.write(step));
      }
    }
    return new Outcome(history.last(), (System.nanoTime() - start) / 1e9);
  }
}
