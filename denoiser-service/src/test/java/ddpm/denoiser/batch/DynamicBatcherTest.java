package ddpm.denoiser.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.sampling.EpsModel;
import ddpm.testing.Latches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {
  private static final int IMAGE = 3;
  private static final Duration NO_WAIT = Duration.ZERO;
  private static final Duration LONG_WAIT = Duration.ofMinutes(5);

  /**
   * ε_j = 10·t_i + x_j for every value j of image i: each row depends on its own x_t and t only, so a row
   * returned to the wrong caller, or computed at another caller's timestep, shows.
   * The first engine call blocks until {@link #release}, so tests can queue work behind it.
   */
  private static final class GatedNetwork implements EpsModel {
    final List<int[]> calls = new ArrayList<>();
    final CountDownLatch firstCallStarted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile RuntimeException failure;

    @Override
    public float[] predict(float[] xt, int[] t) {
      synchronized (calls) {
        calls.add(t.clone());
      }
      firstCallStarted.countDown();
      Latches.await(release);
      if (failure != null) {
        throw failure;
      }
      return expected(xt, t);
    }

    List<int[]> calls() {
      synchronized (calls) {
        return List.copyOf(calls);
      }
    }
  }

  private static float[] expected(float[] xt, int[] t) {
    float[] eps = new float[xt.length];
    for (int j = 0; j < xt.length; j++) {
      eps[j] = 10 * t[j / IMAGE] + xt[j];
    }
    return eps;
  }

  private static float[] images(int n, float first) {
    float[] xt = new float[n * IMAGE];
    for (int j = 0; j < xt.length; j++) {
      xt[j] = first + j;
    }
    return xt;
  }

  private static BatchingConfig config(int maxBatch, Duration delay, int capacity) {
    return new BatchingConfig(true, maxBatch, delay, capacity, 1);
  }

  /** Starts the batcher and parks its engine thread inside a first call of one image, which finishes at release. */
  private static CompletableFuture<float[]> blockEngine(DynamicBatcher batcher, GatedNetwork network) {
    CompletableFuture<float[]> blocker = batcher.submit(images(1, -1), new int[] {0});
    Latches.await(network.firstCallStarted);
    return blocker;
  }

  @Test
  void callsQueuedTogetherShareOneEngineCallAndEachGetsItsOwnRows() {
    GatedNetwork network = new GatedNetwork();
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(16, NO_WAIT, 64), BatchListener.NONE, "t")) {
      CompletableFuture<float[]> blocker = blockEngine(batcher, network);
      float[] xa = images(2, 100);
      int[] ta = {5, 7};
      float[] xb = images(1, 200);
      int[] tb = {999};
      float[] xc = images(3, 300);
      int[] tc = {0, 1, 2};
      CompletableFuture<float[]> a = batcher.submit(xa, ta);
      CompletableFuture<float[]> b = batcher.submit(xb, tb);
      CompletableFuture<float[]> c = batcher.submit(xc, tc);
      network.release.countDown();

      assertArrayEquals(expected(xa, ta), a.join());
      assertArrayEquals(expected(xb, tb), b.join());
      assertArrayEquals(expected(xc, tc), c.join());
      blocker.join();
      assertEquals(2, network.calls().size());
      assertArrayEquals(new int[] {5, 7, 999, 0, 1, 2}, network.calls().get(1));
    }
  }

  @Test
  void aLoneCallerNeverWaits() {
    GatedNetwork network = new GatedNetwork();
    network.release.countDown();
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(4, LONG_WAIT, 64), BatchListener.NONE, "t")) {
      for (int k = 0; k < 3; k++) {
        batcher.submit(images(1, k), new int[] {k}).join();
      }
      assertEquals(3, network.calls().size(), "each call ran without waiting 5 minutes for company");
    }
  }

  @Test
  void aBatchWaitsForTheCallersOfThePreviousOneAndThoseBehindIt() {
    GatedNetwork network = new GatedNetwork();
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(8, LONG_WAIT, 64), BatchListener.NONE, "t")) {
      CompletableFuture<float[]> blocker = blockEngine(batcher, network);
      CompletableFuture<float[]> a = batcher.submit(images(1, 0), new int[] {1});
      CompletableFuture<float[]> b = batcher.submit(images(1, 0), new int[] {2});
      network.release.countDown();
      blocker.join();

      // One caller in the last engine call and two behind it: the next call waits (up to 5 min) for a third.
      CompletableFuture<float[]> c = batcher.submit(images(2, 0), new int[] {3, 4});
      a.join();
      b.join();
      c.join();
      assertEquals(2, network.calls().size());
      assertArrayEquals(new int[] {1, 2, 3, 4}, network.calls().get(1));
    }
  }

  @Test
  void aCallAboveTheMaximumBatchIsSplitNotRefused() {
    GatedNetwork network = new GatedNetwork();
    network.release.countDown();
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(4, NO_WAIT, 64), BatchListener.NONE, "t")) {
      float[] xt = images(10, 7);
      int[] t = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

      assertArrayEquals(expected(xt, t), batcher.submit(xt, t).join());
      assertTrue(network.calls().stream().allMatch(call -> call.length <= 4));
      assertEquals(10, network.calls().stream().mapToInt(call -> call.length).sum());
    }
  }

  @Test
  void aFullQueueRefusesAtOnceAndTheQueuedWorkStillCompletes() {
    GatedNetwork network = new GatedNetwork();
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(4, NO_WAIT, 6), BatchListener.NONE, "t")) {
      CompletableFuture<float[]> blocker = blockEngine(batcher, network);
      CompletableFuture<float[]> queued = batcher.submit(images(5, 0), new int[] {1, 2, 3, 4, 5});
      assertEquals(5, batcher.queuedImages());

      RejectedExecutionException full =
          assertThrows(RejectedExecutionException.class, () -> batcher.submit(images(2, 0), new int[] {1, 2}));
      assertTrue(full.getMessage().contains("5 of 6 images waiting"), full.getMessage());
      CompletableFuture<float[]> fits = batcher.submit(images(1, 0), new int[] {9});

      network.release.countDown();
      blocker.join();
      queued.join();
      fits.join();
      assertEquals(0, batcher.queuedImages());
    }
  }

  @Test
  void aCallLargerThanTheWholeQueueIsBadInput() {
    GatedNetwork network = new GatedNetwork();
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(4, NO_WAIT, 8), BatchListener.NONE, "t")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> batcher.submit(images(9, 0), new int[9]));
      assertTrue(e.getMessage().startsWith("x_t:"), e.getMessage());
    }
  }

  @Test
  void withBatchingOffEveryCallRunsAlone() {
    GatedNetwork network = new GatedNetwork();
    BatchingConfig off = config(16, LONG_WAIT, 64).withEnabled(false);
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, off, BatchListener.NONE, "t")) {
      CompletableFuture<float[]> blocker = blockEngine(batcher, network);
      CompletableFuture<float[]> a = batcher.submit(images(2, 0), new int[] {1, 2});
      CompletableFuture<float[]> b = batcher.submit(images(1, 0), new int[] {3});
      network.release.countDown();
      blocker.join();
      a.join();
      b.join();
      assertEquals(3, network.calls().size());
    }
  }

  @Test
  void anEngineFailureFailsEveryCallOfThatBatchAndTheNextBatchRuns() {
    GatedNetwork network = new GatedNetwork();
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(16, NO_WAIT, 64), BatchListener.NONE, "t")) {
      network.failure = new IllegalStateException("engine broke");
      CompletableFuture<float[]> blocker = blockEngine(batcher, network);
      CompletableFuture<float[]> a = batcher.submit(images(1, 0), new int[] {1});
      network.release.countDown();

      assertThrows(CompletionException.class, blocker::join);
      assertThrows(CompletionException.class, a::join);
      network.failure = null;
      float[] xt = images(1, 4);
      assertArrayEquals(expected(xt, new int[] {2}), batcher.submit(xt, new int[] {2}).join());
    }
  }

  @Test
  void closeFinishesQueuedWorkThenRefuses() {
    GatedNetwork network = new GatedNetwork();
    DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(16, NO_WAIT, 64), BatchListener.NONE, "t");
    CompletableFuture<float[]> blocker = blockEngine(batcher, network);
    CompletableFuture<float[]> queued = batcher.submit(images(2, 0), new int[] {1, 2});
    CompletableFuture<Void> closing = CompletableFuture.runAsync(batcher::close);
    assertFalse(queued.isDone());
    network.release.countDown();
    closing.join();

    assertTrue(blocker.isDone() && queued.isDone() && !queued.isCompletedExceptionally());
    assertThrows(BatcherClosedException.class, () -> batcher.submit(images(1, 0), new int[] {1}));
  }

  @Test
  void reportsEveryBatchToItsListener() {
    GatedNetwork network = new GatedNetwork();
    List<int[]> batches = new ArrayList<>();
    BatchListener listener = new BatchListener() {
      @Override
      public synchronized void onBatch(int images, int calls, long engineNanos) {
        batches.add(new int[] {images, calls});
      }
    };
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(16, NO_WAIT, 64), listener, "t")) {
      CompletableFuture<float[]> blocker = blockEngine(batcher, network);
      CompletableFuture<float[]> a = batcher.submit(images(2, 0), new int[] {1, 2});
      CompletableFuture<float[]> b = batcher.submit(images(3, 0), new int[] {1, 2, 3});
      network.release.countDown();
      blocker.join();
      a.join();
      b.join();
    }
    synchronized (listener) {
      assertArrayEquals(new int[] {1, 1}, batches.get(0));
      assertArrayEquals(new int[] {5, 2}, batches.get(1));
    }
  }
}
