package ddpm.denoiser.batch;

/**
 * The version's batcher was closed (unloaded) between the caller finding the version and queuing on it; the
 * caller may look the version up again.
 */
public final class BatcherClosedException extends IllegalStateException {
  public BatcherClosedException(String message) {
    super(message);
  }
}
