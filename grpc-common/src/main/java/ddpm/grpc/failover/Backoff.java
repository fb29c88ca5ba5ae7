package ddpm.grpc.failover;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with jitter: before round r (1, 2, ...) wait initial · multiplier^(r−1), at most
 * max, each wait scaled by a random factor in [1 − jitter, 1 + jitter) so that callers refused together do
 * not come back together.
 */
public record Backoff(Duration initial, double multiplier, Duration max, double jitter) {
  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff: need 0 < initial ≤ max, got " + initial + " and " + max);
    }
    if (!(multiplier >= 1) || !(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException(
          "backoff: need multiplier ≥ 1 and jitter in [0, 1), got " + multiplier + " and " + jitter);
    }
  }

  /** The wait before round {@code round} (≥ 1), with {@code random} giving values in [0, 1). */
  public Duration delay(int round, DoubleSupplier random) {
    if (round < 1) {
      throw new IllegalArgumentException("round must be ≥ 1, got " + round);
    }
    double nanos = Math.min(initial.toNanos() * Math.pow(multiplier, round - 1), max.toNanos());
    return Duration.ofNanos(Math.round(nanos * (1 - jitter + 2 * jitter * random.getAsDouble())));
  }
}
