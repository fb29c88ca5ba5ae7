package ddpm.denoiser.batch;

/** What a batcher reports as it works; metrics implement it, tests may too. */
public interface BatchListener {
  BatchListener NONE = new BatchListener() {};

  /** An engine call of {@code images} images, from {@code calls} queued chunks, took {@code engineNanos}. */
  default void onBatch(int images, int calls, long engineNanos) {}

  /**
   * An engine call began for a queued chunk (a call, or one max_batch part of a larger call) after it had waited
   * {@code queuedNanos} since it was queued; called once per chunk, before the engine call.
   */
  default void onQueueWait(long queuedNanos) {}

  /** The number of images waiting changed to {@code images}; called under the queue's lock, so keep it cheap. */
  default void onQueueDepth(int images) {}
}
