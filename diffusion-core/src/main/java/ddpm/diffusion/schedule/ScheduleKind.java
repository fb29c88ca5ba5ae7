package ddpm.diffusion.schedule;

import ddpm.diffusion.Echo;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A family of beta schedules, named on the wire in lowercase (docs/math.md §2). */
public enum ScheduleKind {
  /** Ho et al.'s linear betas, rescaled by 1000/T as improved-diffusion does (exact at T = 1000). */
  LINEAR("linear") {
    @Override
    double[] betas(int timesteps) {
      return BetaSchedules.linear(timesteps);
    }
  },
  /** Nichol and Dhariwal's cosine schedule. */
  COSINE("cosine") {
    @Override
    double[] betas(int timesteps) {
      return BetaSchedules.cosine(timesteps);
    }
  };

  private final String wireName;

  ScheduleKind(String wireName) {
    this.wireName = wireName;
  }

  /** The lowercase name used in requests and model cards. */
  public String wireName() {
    return wireName;
  }

  /**
   * The kind named {@code wireName}; {@code field} names the request field in the error, so a caller can pass
   * the exception on as a bad-argument answer.
   */
  public static ScheduleKind parse(String wireName, String field) {
    for (ScheduleKind kind : values()) {
      if (kind.wireName.equals(wireName)) {
        return kind;
      }
    }
    String allowed = Arrays.stream(values()).map(k -> '"' + k.wireName + '"').collect(Collectors.joining(", "));
    throw new IllegalArgumentException(field + " must be one of " + allowed + ", got " + Echo.quoted(wireName));
  }

  abstract double[] betas(int timesteps);
}
