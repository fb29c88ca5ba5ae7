package ddpm.denoiser.batch;

import java.util.concurrent.CompletableFuture;

/** Up to max_batch rows of one caller's request, waiting for an engine call; {@code eps} receives exactly these rows. */
final class QueuedChunk {
  final float[] xt;
  final int[] t;
  final CompletableFuture<float[]> eps = new CompletableFuture<>();

  QueuedChunk(float[] xt, int[] t) {
    this.xt = xt;
    this.t = t;
  }

  int images() {
    return t.length;
  }
}
