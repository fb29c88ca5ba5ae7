package ddpm.denoiser.batch;

import ddpm.diffusion.sampling.ExtraInputs;
import java.util.concurrent.CompletableFuture;

/** Up to max_batch rows of one caller's request, waiting for an engine call; {@code eps} receives exactly these rows. */
final class QueuedChunk {
  final float[] xt;
  final int[] t;
  final ExtraInputs inputs;
  final CompletableFuture<float[]> eps = new CompletableFuture<>();
  /** When it was queued: the start of its queue wait. */
  final long queuedNanos = System.nanoTime();

  QueuedChunk(float[] xt, int[] t, ExtraInputs inputs) {
    this.xt = xt;
    this.t = t;
    this.inputs = inputs;
  }

  int images() {
    return t.length;
  }

  /** Whether the two may share an engine call: their extra inputs have the same names, dtypes and shapes. */
  boolean sharesInputsWith(QueuedChunk other) {
    return inputs.specs().equals(other.inputs.specs());
  }
}
