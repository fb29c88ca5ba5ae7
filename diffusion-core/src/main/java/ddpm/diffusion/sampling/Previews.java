package ddpm.diffusion.sampling;

/**
 * Which steps a run shows to {@code listener}: every {@code every}-th step and the last one; none when
 * {@code every} is 0 (field "preview_every").
 */
public record Previews(int every, PreviewListener listener) {
  public static final Previews NONE = new Previews(0, (step, total, timestep, xt, x0Hat) -> { });

  public Previews {
    check(every);
    if (listener == null) {
      throw new IllegalArgumentException("a preview listener must be given");
    }
  }

  /** Refuses a negative interval, naming the request field. */
  public static void check(int every) {
    if (every < 0) {
      throw new IllegalArgumentException("preview_every must be ≥ 0 (0: no previews), got " + every);
    }
  }

  /** Whether step {@code step} of {@code totalSteps} is shown. */
  boolean due(int step, int totalSteps) {
    return every > 0 && (step % every == 0 || step == totalSteps);
  }
}
