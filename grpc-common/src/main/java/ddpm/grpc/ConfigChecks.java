package ddpm.grpc;

import java.time.Duration;

/**
 * The checks that the services' config records share, so that an operator's bad setting is refused with the
 * same wording by every service: {@code field: must be …, got …}.
 */
public final class ConfigChecks {
  private ConfigChecks() {}

  public static void requireSet(Object value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + ": must be set");
    }
  }

  public static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + ": must be set");
    }
  }

  public static void requirePositive(Duration value, String field) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + ": must be > 0, got " + value);
    }
  }

  public static void requireNonNegative(Duration value, String field) {
    if (value == null || value.isNegative()) {
      throw new IllegalArgumentException(field + ": must be ≥ 0, got " + value);
    }
  }

  public static void requireAtLeast(long value, long min, String field) {
    if (value < min) {
      throw new IllegalArgumentException(field + ": must be ≥ " + min + ", got " + value);
    }
  }
}
