package ddpm.denoiser.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.ExtraInput;
import ddpm.diffusion.sampling.ExtraInputs;
import ddpm.diffusion.sampling.InputSpec.Dtype;
import ddpm.testing.Latches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DynamicBatcherTest {
  private static final ExtraInputs NONE = ExtraInputs.NONE;
  private static final int IMAGE = 3;
  private static final Duration NO_WAIT = Duration.ZERO;
  private static final Duration LONG_WAIT = Duration.ofMinutes(5);

  /**
   * ε_j = 10·t_i + x_j + 1000·y_i for every value j of image i, y_i its label (0 without one): each row depends
   * on its own x_t, t and label only, so a row returned to the wrong caller, or computed at another caller's
   * timestep or label, shows. The first engine call blocks until {@link #release}, so tests can queue work
   * behind it.
   */
  private static final class GatedNetwork implements EpsModel {
    final List<int[]> calls = new ArrayList<>();
    final List<ExtraInputs> inputs = new ArrayList<>();
    final CountDownLatch firstCallStarted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile RuntimeException failure;

    @Override
    public float[] predict(float[] xt, int[] t) {
      throw new AssertionError("the batcher passes every call's extra inputs");
    }

    @Override
    public float[] predict(float[] xt, int[] t, ExtraInputs extra) {
      synchronized (calls) {
        calls.add(t.clone());
        inputs.add(extra);
      }
      firstCallStarted.countDown();
      Latches.await(release);
      if (failure != null) {
        throw failure;
      }
      return expected(xt, t, extra);
    }

    List<int[]> calls() {
      synchronized (calls) {
        return List.copyOf(calls);
      }
    }

    List<ExtraInputs> inputs() {
      synchronized (calls) {
        return List.copyOf(inputs);
      }
    }
  }

  /** Every engine call as {images, calls}, and every chunk's queue wait. */
  private static final class RecordingListener implements BatchListener {
    private final List<int[]> batches = new ArrayList<>();
    private final List<Long> queueWaits = new ArrayList<>();

    @Override
    public synchronized void onBatch(int images, int calls, long engineNanos) {
      batches.add(new int[] {images, calls});
    }

    @Override
    public synchronized void onQueueWait(long queuedNanos) {
      queueWaits.add(queuedNanos);
    }

    synchronized List<int[]> batches() {
      return List.copyOf(batches);
    }

    synchronized List<Long> queueWaits() {
      return List.copyOf(queueWaits);
    }
  }

  private static float[] expected(float[] xt, int[] t) {
    return expected(xt, t, NONE);
  }

  private static float[] expected(float[] xt, int[] t, ExtraInputs extra) {
    ExtraInput y = extra.asMap().get("y");
    float[] eps = new float[xt.length];
    for (int j = 0; j < xt.length; j++) {
      int i = j / IMAGE;
      float label = y == null ? 0 : y.spec().dtype() == Dtype.INT32 ? y.ints()[i] : y.floats()[i];
      eps[j] = 10 * t[i] + xt[j] + 1000 * label;
    }
    return eps;
  }

  private static ExtraInputs labels(int... y) {
    return ExtraInputs.of(Map.of("y", ExtraInput.int32(y)));
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
    CompletableFuture<float[]> blocker = batcher.submit(images(1, -1), new int[] {0}, NONE);
    Latches.await(network.firstCallStarted);
    return blocker;
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void callsQueuedTogetherShareOneEngineCallAndEachGetsItsOwnRows(boolean labelled) {
    GatedNetwork network = new GatedNetwork();
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(16, NO_WAIT, 64), BatchListener.NONE, "t")) {
      CompletableFuture<float[]> blocker = blockEngine(batcher, network);
      float[] xa = images(2, 100);
      int[] ta = {5, 7};
      ExtraInputs ya = labelled ? labels(3, 0) : NONE;
      float[] xb = images(1, 200);
      int[] tb = {999};
      ExtraInputs yb = labelled ? labels(9) : NONE;
      float[] xc = images(3, 300);
      int[] tc = {0, 1, 2};
      ExtraInputs yc = labelled ? labels(3, 3, 1) : NONE;
      CompletableFuture<float[]> a = batcher.submit(xa, ta, ya);
      CompletableFuture<float[]> b = batcher.submit(xb, tb, yb);
      CompletableFuture<float[]> c = batcher.submit(xc, tc, yc);
      network.release.countDown();

      assertArrayEquals(expected(xa, ta, ya), a.join());
      assertArrayEquals(expected(xb, tb, yb), b.join());
      assertArrayEquals(expected(xc, tc, yc), c.join());
      blocker.join();
      assertEquals(2, network.calls().size());
      assertArrayEquals(new int[] {5, 7, 999, 0, 1, 2}, network.calls().get(1));
      assertEquals(labelled ? labels(3, 0, 9, 3, 3, 1) : NONE, network.inputs().get(1));
    }
  }

  @Test
  void aLoneCallerNeverWaits() {
    GatedNetwork network = new GatedNetwork();
    network.release.countDown();
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(4, LONG_WAIT, 64), BatchListener.NONE, "t")) {
      for (int k = 0; k < 3; k++) {
        batcher.submit(images(1, k), new int[] {k}, NONE).join();
      }
      assertEquals(3, network.calls().size(), "each call ran without waiting 5 minutes for company");
    }
  }

  @Test
  void aBatchWaitsForTheCallersOfThePreviousOneAndThoseBehindIt() {
    GatedNetwork network = new GatedNetwork();
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(8, LONG_WAIT, 64), BatchListener.NONE, "t")) {
      CompletableFuture<float[]> blocker = blockEngine(batcher, network);
      CompletableFuture<float[]> a = batcher.submit(images(1, 0), new int[] {1}, NONE);
      CompletableFuture<float[]> b = batcher.submit(images(1, 0), new int[] {2}, NONE);
      network.release.countDown();
      blocker.join();

      // One caller in the last engine call and two behind it: the next call waits (up to 5 min) for a third.
      CompletableFuture<float[]> c = batcher.submit(images(2, 0), new int[] {3, 4}, NONE);
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

      assertArrayEquals(expected(xt, t), batcher.submit(xt, t, NONE).join());
      assertTrue(network.calls().stream().allMatch(call -> call.length <= 4));
      assertEquals(10, network.calls().stream().mapToInt(call -> call.length).sum());
    }
  }

  @Test
  void aFullQueueRefusesAtOnceAndTheQueuedWorkStillCompletes() {
    GatedNetwork network = new GatedNetwork();
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(4, NO_WAIT, 6), BatchListener.NONE, "t")) {
      CompletableFuture<float[]> blocker = blockEngine(batcher, network);
      CompletableFuture<float[]> queued = batcher.submit(images(5, 0), new int[] {1, 2, 3, 4, 5}, NONE);
      assertEquals(5, batcher.queuedImages());

      RejectedExecutionException full =
          assertThrows(RejectedExecutionException.class, () -> batcher.submit(images(2, 0), new int[] {1, 2}, NONE));
      assertTrue(full.getMessage().contains("5 of 6 images waiting"), full.getMessage());
      CompletableFuture<float[]> fits = batcher.submit(images(1, 0), new int[] {9}, NONE);

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
          assertThrows(IllegalArgumentException.class, () -> batcher.submit(images(9, 0), new int[9], NONE));
      assertTrue(e.getMessage().startsWith("x_t:"), e.getMessage());
    }
  }

  @Test
  void withBatchingOffEveryCallRunsAlone() {
    GatedNetwork network = new GatedNetwork();
    BatchingConfig off = config(16, LONG_WAIT, 64).withEnabled(false);
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, off, BatchListener.NONE, "t")) {
      CompletableFuture<float[]> blocker = blockEngine(batcher, network);
      CompletableFuture<float[]> a = batcher.submit(images(2, 0), new int[] {1, 2}, NONE);
      CompletableFuture<float[]> b = batcher.submit(images(1, 0), new int[] {3}, NONE);
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
      CompletableFuture<float[]> a = batcher.submit(images(1, 0), new int[] {1}, NONE);
      network.release.countDown();

      assertThrows(CompletionException.class, blocker::join);
      assertThrows(CompletionException.class, a::join);
      network.failure = null;
      float[] xt = images(1, 4);
      assertArrayEquals(expected(xt, new int[] {2}), batcher.submit(xt, new int[] {2}, NONE).join());
    }
  }

  @Test
  void closeFinishesQueuedWorkThenRefuses() {
    GatedNetwork network = new GatedNetwork();
    DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(16, NO_WAIT, 64), BatchListener.NONE, "t");
    CompletableFuture<float[]> blocker = blockEngine(batcher, network);
    CompletableFuture<float[]> queued = batcher.submit(images(2, 0), new int[] {1, 2}, NONE);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(batcher::close);
    assertFalse(queued.isDone());
    network.release.countDown();
    closing.join();

    assertTrue(blocker.isDone() && queued.isDone() && !queued.isCompletedExceptionally());
    assertThrows(BatcherClosedException.class, () -> batcher.submit(images(1, 0), new int[] {1}, NONE));
  }

  @Test
  void reportsEveryBatchToItsListener() {
    GatedNetwork network = new GatedNetwork();
    RecordingListener listener = new RecordingListener();
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(16, NO_WAIT, 64), listener, "t")) {
      CompletableFuture<float[]> blocker = blockEngine(batcher, network);
      CompletableFuture<float[]> a = batcher.submit(images(2, 0), new int[] {1, 2}, NONE);
      CompletableFuture<float[]> b = batcher.submit(images(3, 0), new int[] {1, 2, 3}, NONE);
      network.release.countDown();
      blocker.join();
      a.join();
      b.join();
    }
    assertArrayEquals(new int[] {1, 1}, listener.batches().get(0));
    assertArrayEquals(new int[] {5, 2}, listener.batches().get(1));
  }

  /**
   * A chunk's queue wait runs from its arrival to the start of its engine call: the calls queued behind a busy
   * engine waited at least from their submit's return until the engine was let go, and a call above the maximum
   * batch reports each of its chunks.
   */
  @Test
  void reportsHowLongEachQueuedChunkWaitedForItsEngineCall() throws InterruptedException {
    GatedNetwork network = new GatedNetwork();
    RecordingListener listener = new RecordingListener();
    long queued;
    long released;
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(4, NO_WAIT, 64), listener, "t")) {
      CompletableFuture<float[]> blocker = blockEngine(batcher, network);
      CompletableFuture<float[]> split = batcher.submit(images(6, 0), new int[] {1, 2, 3, 4, 5, 6}, NONE);
      queued = System.nanoTime();
      // Not synchronisation: time for the split call to spend queued, which a wait counted from the engine
      // thread's taking the chunk (after the release) would leave out.
      Thread.sleep(20);
      released = System.nanoTime();
      network.release.countDown();
      blocker.join();
      split.join();
    }
    List<Long> waits = listener.queueWaits();
    assertEquals(3, waits.size(), "the blocker and the two chunks of the split call: " + waits);
    assertTrue(waits.get(1) >= released - queued && waits.get(2) >= released - queued, waits.toString());
  }

  @Test
  void conditionalAndUnconditionalChunksNeverShareAnEngineCall() {
    GatedNetwork network = new GatedNetwork();
    RecordingListener listener = new RecordingListener();
    ExtraInputs floatLabel = ExtraInputs.of(Map.of("y", ExtraInput.float32(new float[] {0.5f})));
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(16, NO_WAIT, 64), listener, "t")) {
      CompletableFuture<float[]> blocker = blockEngine(batcher, network);
      List<CompletableFuture<float[]>> calls = List.of(
          batcher.submit(images(1, 0), new int[] {1}, NONE),
          batcher.submit(images(2, 0), new int[] {2, 2}, labels(4, 5)),
          batcher.submit(images(1, 0), new int[] {3}, floatLabel),
          batcher.submit(images(1, 0), new int[] {4}, NONE),
          batcher.submit(images(1, 0), new int[] {5}, labels(6)));
      network.release.countDown();
      blocker.join();
      calls.forEach(CompletableFuture::join);
    }
    // After the blocker, each batch takes the oldest chunk and the later ones with its inputs, in order.
    List<int[]> calls = network.calls();
    assertEquals(4, calls.size());
    assertArrayEquals(new int[] {1, 4}, calls.get(1));
    assertArrayEquals(new int[] {2, 2, 5}, calls.get(2));
    assertArrayEquals(new int[] {3}, calls.get(3));
    assertEquals(List.of(NONE, NONE, labels(4, 5, 6), floatLabel), network.inputs());
    assertArrayEquals(new int[] {2, 2}, listener.batches().get(1));
    assertArrayEquals(new int[] {3, 2}, listener.batches().get(2));
    assertArrayEquals(new int[] {1, 1}, listener.batches().get(3));
  }

  @Test
  void aBatchDoesNotWaitForCompanyWhileACallWithOtherInputsWaits() throws Exception {
    GatedNetwork network = new GatedNetwork();
    CompletableFuture<float[]> conditional;
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(8, LONG_WAIT, 64), BatchListener.NONE, "t")) {
      CompletableFuture<float[]> blocker = blockEngine(batcher, network);
      CompletableFuture<float[]> unconditional = batcher.submit(images(1, 0), new int[] {1}, NONE);
      conditional = batcher.submit(images(1, 0), new int[] {2}, labels(7));
      network.release.countDown();
      blocker.join();

      // Two calls were behind the last engine call, so the next batch expects company (up to 5 minutes), but
      // the call that waits cannot join it.
      unconditional.get(1, TimeUnit.MINUTES);
      assertEquals(NONE, network.inputs().get(1));
    }
    conditional.join();
    assertEquals(labels(7), network.inputs().get(2));
  }

  @Test
  void refusesExtraInputsForAnotherNumberOfImages() {
    GatedNetwork network = new GatedNetwork();
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(4, NO_WAIT, 8), BatchListener.NONE, "t")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> batcher.submit(images(2, 0), new int[2], labels(1, 2, 3)));
      assertTrue(e.getMessage().contains("\"y\" holds 3 images"), e.getMessage());
    }
  }

  @Test
  void aCallAboveTheMaximumBatchIsSplitWithItsLabels() {
    GatedNetwork network = new GatedNetwork();
    network.release.countDown();
    try (DynamicBatcher batcher = new DynamicBatcher(network, IMAGE, config(4, NO_WAIT, 64), BatchListener.NONE, "t")) {
      float[] xt = images(6, 7);
      int[] t = {0, 1, 2, 3, 4, 5};
      ExtraInputs y = labels(10, 11, 12, 13, 14, 15);

      assertArrayEquals(expected(xt, t, y), batcher.submit(xt, t, y).join());
      assertEquals(List.of(labels(10, 11, 12, 13), labels(14, 15)), network.inputs());
    }
  }
}
