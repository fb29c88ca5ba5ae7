package ddpm.trainer.core;

import ddpm.trainer.checkpoint.CheckpointWriter;
import ddpm.trainer.core.BatchSampler.Batch;
import ddpm.trainer.graph.TrainingGraph;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/** Algorithm 1's loop: draw, step, report, checkpoint every {@code checkpointEvery} steps and at the end. */
public final class TrainLoop {
  private final TrainingGraph graph;
  private final BatchSampler sampler;
  private final CheckpointWriter checkpoints;
  private final TrainingListener listener;
  private final BooleanSupplier cancelled;

  public TrainLoop(TrainingGraph graph, BatchSampler sampler, CheckpointWriter checkpoints,
      TrainingListener listener, BooleanSupplier cancelled) {
    this.graph = graph;
    this.sampler = sampler;
    this.checkpoints = checkpoints;
    this.listener = listener;
    this.cancelled = cancelled;
  }

  /** The loss of the last step and the seconds the loop took. */
  public record Outcome(double finalLoss, double wallSeconds) {}

  public Outcome run(int steps, int batchSize, int checkpointEvery) throws IOException {
    long start = System.nanoTime();
    double loss = Double.NaN;
    for (int step = 1; step <= steps; step++) {
      if (cancelled.getAsBoolean()) {
        throw new CancellationException("cancelled before step " + step);
      }
      Batch batch = sampler.next(batchSize);
      loss = graph.trainStep(batch.x0(), batch.t(), batch.eps(), step);
      double seconds = (System.nanoTime() - start) / 1e9;
      listener.onStep(step, steps, loss, (double) step * batchSize / seconds);
      if (step == steps || (checkpointEvery > 0 && step % checkpointEvery == 0)) {
        listener.onCheckpoint(step, checkpoints.write(graph, step));
      }
    }
    return new Outcome(loss, (System.nanoTime() - start) / 1e9);
  }
}
