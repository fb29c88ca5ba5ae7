package ddpm.denoiser.batch;

import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.ExtraInputs;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Merges concurrent ε requests for one network into engine calls of at most max_batch images. Each request
 * is cut into chunks of at most max_batch rows that wait in one bounded FIFO queue. An engine thread takes the
 * oldest chunk and adds every waiting chunk that fits, in arrival order. It expects as many chunks as the
 * previous engine call had plus those that were already waiting when it ended; while it has fewer, it waits
 * for more until the batch is full or max_queue_delay has passed since it began the batch. It runs the network once
 * and hands every chunk back its own rows. Timesteps are per image, so chunks at different t share a batch.
 * Extra inputs (class labels) are per image too, so chunks with different labels share a batch; but an engine
 * call feeds one set of named inputs, so a batch takes only chunks whose extra inputs have the same names, dtypes
 * and per-image shapes as its oldest chunk's, and conditional and unconditional chunks never share an engine
 * call. The others wait, in order, for a later batch, and a batch does not wait for company while any do.
 *
 * <p>Why that count: samplers step in lockstep with the denoiser, so the callers of one engine call come back
 * together for the next. Expecting them, and those who queued meanwhile, merges groups of callers that would
 * otherwise take turns in half-full batches; a lone caller (nobody behind it) never waits.
 */
public final class DynamicBatcher implements AutoCloseable {
  private final EpsModel network;
  private final int imageValues;
  private final BatchingConfig config;
  private final BatchListener listener;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final ArrayDeque<QueuedChunk> queue = new ArrayDeque<>();
  private final List<Thread> engineThreads = new ArrayList<>();
  private int queuedImages;
  private int previousBatchChunks = 1;
  private int chunksBehindPreviousBatch;
  private boolean closed;

  /**
   * @param imageValues H·W·C, the floats of one image
   * @param name names the engine threads, for thread dumps
   */
  public DynamicBatcher(EpsModel network, int imageValues, BatchingConfig config, BatchListener listener,
      String name) {
    this.network = network;
    this.imageValues = imageValues;
    this.config = config;
    this.listener = listener;
    for (int i = 0; i < config.engineThreads(); i++) {
      Thread thread = new Thread(this::runEngine, "engine-" + name + "-" + i);
      thread.setDaemon(true);
      engineThreads.add(thread);
    }
    engineThreads.forEach(Thread::start);
  }

  /**
   * Queues x_t (N images, NHWC) at timesteps t with their extra inputs (each holding N images) and completes
   * with their ε, row i for image i. Refuses with RejectedExecutionException when the queue cannot take all N
   * images now, and with {@link BatcherClosedException} once the batcher is closed; a request is queued whole or
   * not at all.
   */
  public CompletableFuture<float[]> submit(float[] xt, int[] t, ExtraInputs inputs) {
    int n = t.length;
    if (n < 1 || xt.length != (long) n * imageValues) {
      throw new IllegalArgumentException("x_t: " + xt.length + " values do not make " + n + " images of "
          + imageValues + " values");
    }
    if (n > config.queueCapacity()) {
      throw new IllegalArgumentException("x_t: batch size N must be at most the queue capacity "
          + config.queueCapacity() + ", got " + n);
    }
    inputs.requireImages(n);
    List<QueuedChunk> chunks = new ArrayList<>();
    for (int from = 0; from < n; from += config.maxBatch()) {
      int to = Math.min(n, from + config.maxBatch());
      chunks.add(new QueuedChunk(Arrays.copyOfRange(xt, from * imageValues, to * imageValues),
          Arrays.copyOfRange(t, from, to), inputs.rows(from, to)));
    }
    lock.lock();
    try {
      if (closed) {
        throw new BatcherClosedException("this model version was unloaded while the call was queuing");
      }
      if (queuedImages + n > config.queueCapacity()) {
        throw new RejectedExecutionException("the denoiser's queue is full (" + queuedImages + " of "
            + config.queueCapacity() + " images waiting); retry with backoff or add replicas");
      }
      queue.addAll(chunks);
      queuedImages += n;
      listener.onQueueDepth(queuedImages);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    return chunks.size() == 1 ? chunks.get(0).eps : joined(chunks, n);
  }

  /** Images waiting now. */
  public int queuedImages() {
    lock.lock();
    try {
      return queuedImages;
    } finally {
      lock.unlock();
    }
  }

  /** Stops taking requests, lets the engine threads finish every queued chunk, then returns. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    for (Thread thread : engineThreads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private CompletableFuture<float[]> joined(List<QueuedChunk> chunks, int n) {
    CompletableFuture<?>[] parts = chunks.stream().map(c -> c.eps).toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(parts).thenApply(ignored -> {
      float[] eps = new float[n * imageValues];
      int offset = 0;
      for (QueuedChunk chunk : chunks) {
        float[] rows = chunk.eps.join();
        System.arraycopy(rows, 0, eps, offset, rows.length);
        offset += rows.length;
      }
      return eps;
    });
  }

  private void runEngine() {
    List<QueuedChunk> batch;
    while ((batch = nextBatch()) != null) {
      run(batch);
    }
  }

  /** The next batch, or null once closed with nothing left to run. */
  private List<QueuedChunk> nextBatch() {
    List<QueuedChunk> batch = new ArrayList<>();
    lock.lock();
    try {
      while (queue.isEmpty()) {
        if (closed) {
          return null;
        }
        arrived.awaitUninterruptibly();
      }
      QueuedChunk oldest = queue.poll();
      batch.add(oldest);
      int images = oldest.images();
      // From now, not from the oldest's arrival: callers queued behind a running batch have waited already,
      // and the calls this batch expects are those coming back from it.
      long deadline = System.nanoTime() + config.maxQueueDelay().toNanos();
      while (config.enabled() && images < config.maxBatch()) {
        Iterator<QueuedChunk> waiting = queue.iterator();
        while (waiting.hasNext()) {
          QueuedChunk next = waiting.next();
          if (!next.sharesInputsWith(oldest)) {
            continue;
          }
          if (images + next.images() > config.maxBatch()) {
            break;
          }
          waiting.remove();
          batch.add(next);
          images += next.images();
        }
        long wait = deadline - System.nanoTime();
        if (images >= config.maxBatch() || !queue.isEmpty()
            || batch.size() >= previousBatchChunks + chunksBehindPreviousBatch || wait <= 0 || closed) {
          break;
        }
        try {
          arrived.awaitNanos(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      queuedImages -= images;
      previousBatchChunks = batch.size();
      listener.onQueueDepth(queuedImages);
    } finally {
      lock.unlock();
    }
    return batch;
  }

  private void run(List<QueuedChunk> batch) {
    int images = batch.stream().mapToInt(QueuedChunk::images).sum();
    float[] xt = new float[images * imageValues];
    int[] t = new int[images];
    int row = 0;
    for (QueuedChunk chunk : batch) {
      System.arraycopy(chunk.xt, 0, xt, row * imageValues, chunk.xt.length);
      System.arraycopy(chunk.t, 0, t, row, chunk.t.length);
      row += chunk.images();
    }
    float[] eps;
    long start = System.nanoTime();
    batch.forEach(chunk -> listener.onQueueWait(start - chunk.queuedNanos));
    try {
      eps = network.predict(xt, t, ExtraInputs.concat(batch.stream().map(chunk -> chunk.inputs).toList()));
    } catch (RuntimeException | Error e) {
      batch.forEach(chunk -> chunk.eps.completeExceptionally(e));
      return;
    }
    listener.onBatch(images, batch.size(), System.nanoTime() - start);
    lock.lock();
    try {
      // Counted before any caller of this batch has its answer, so none of them is among these.
      chunksBehindPreviousBatch = queue.size();
    } finally {
      lock.unlock();
    }
    row = 0;
    for (QueuedChunk chunk : batch) {
      chunk.eps.complete(Arrays.copyOfRange(eps, row * imageValues, (row + chunk.images()) * imageValues));
      row += chunk.images();
    }
  }
}
