package ddpm.grpc.schedule;

import ddpm.api.v1.Schedule;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.diffusion.schedule.Spacing;
import ddpm.diffusion.schedule.SpacingKind;
import java.util.Arrays;
import java.util.List;

/** The one conversion between {@link Schedule} messages and {@link NoiseSchedule}, both ways. */
public final class ScheduleMessages {
  private ScheduleMessages() {}

  public static Schedule toProto(NoiseSchedule schedule) {
    return Schedule.newBuilder()
        .setKind(schedule.kind().wireName())
        .setTimesteps(schedule.timesteps())
        .setSteps(schedule.steps())
        .addAllTimestepIndices(Arrays.stream(schedule.timestepIndices()).boxed().toList())
        .addAllBetas(boxed(schedule.betas()))
        .addAllAlphas(boxed(schedule.alphas()))
        .addAllAlphasCumprod(boxed(schedule.alphasCumprod()))
        .addAllAlphasCumprodPrev(boxed(schedule.alphasCumprodPrev()))
        .addAllSqrtAlphasCumprod(boxed(schedule.sqrtAlphasCumprod()))
        .addAllSqrtOneMinusAlphasCumprod(boxed(schedule.sqrtOneMinusAlphasCumprod()))
        .addAllPosteriorVariance(boxed(schedule.posteriorVariance()))
        .addAllPosteriorLogVarianceClipped(boxed(schedule.posteriorLogVarianceClipped()))
        .addAllPosteriorMeanCoefX0(boxed(schedule.posteriorMeanCoefX0()))
        .addAllPosteriorMeanCoefXt(boxed(schedule.posteriorMeanCoefXt()))
        .build();
  }

  /**
   * The schedule a message describes. Only kind, timesteps, timestep_indices and betas are read: every other
   * array is derived from the betas, as the sender derived it, so the result equals the sender's schedule.
   * A malformed message fails with an {@link IllegalArgumentException} naming the field.
   */
  public static NoiseSchedule fromProto(Schedule message) {
    if (message.getSteps() != message.getBetasCount()) {
      throw new IllegalArgumentException(
          "steps is " + message.getSteps() + " but betas has " + message.getBetasCount() + " entries");
    }
    return NoiseSchedule.fromBetas(
        ScheduleKind.parse(message.getKind(), "kind"),
        message.getTimesteps(),
        message.getTimestepIndicesList().stream().mapToInt(Integer::intValue).toArray(),
        message.getBetasList().stream().mapToDouble(Double::doubleValue).toArray());
  }

  /**
   * The spacing of a request's fields "spacing" (lowercase; "" is "even") and "karras_rho" (0 is
   * {@link Spacing#DEFAULT_RHO}); anything else fails naming the field.
   */
  public static Spacing spacing(String spacing, double karrasRho) {
    SpacingKind kind = spacing.isEmpty() ? SpacingKind.EVEN : SpacingKind.parse(spacing, "spacing");
    return new Spacing(kind, karrasRho == 0 ? Spacing.DEFAULT_RHO : karrasRho);
  }

  private static List<Double> boxed(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
