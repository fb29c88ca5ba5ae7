package ddpm.denoiser.engine;

/** TensorFlow failed while evaluating a request that passed validation: a server fault, not the caller's. */
public final class InferenceException extends RuntimeException {
  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
