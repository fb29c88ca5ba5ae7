package ddpm.grpc.schedule;

import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.GetScheduleResponse;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.diffusion.schedule.CachedScheduleSource;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.diffusion.schedule.ScheduleSource;
import ddpm.diffusion.schedule.Spacing;
import ddpm.grpc.failover.Failover;
import io.grpc.Channel;
import java.time.Duration;

/**
 * Schedules from a scheduler service, over a channel from ddpm.grpc.Channels (so the scheduler may be one
 * address, a list of replicas or a DNS name). A call is a {@link Failover}: a scheduler that is down or
 * restarting is tried again with backoff, on every replica, until the call's deadline. A call made inside a
 * request's gRPC context inherits that request's deadline and cancellation; every call also gets its own
 * deadline, retries included, which bounds calls made outside one (a training job as it starts).
 *
 * <p>It fetches every time; {@link #kept} keeps what it fetched, so that a schedule once known is served
 * while the scheduler is down.
 */
public final class RemoteScheduleSource implements ScheduleSource {
  /** Far above a schedule's computation (milliseconds), far below a hung scheduler going unnoticed. */
  public static final int DEFAULT_CALL_TIMEOUT_SECONDS = 30;
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(DEFAULT_CALL_TIMEOUT_SECONDS);
  /**
   * Schedules a sampler or trainer keeps, by (kind, T, K, spacing): a model has one kind and T, and its requests use a
   * few step counts. Schedules never change, so a kept one is never fetched again.
   */
  public static final int SCHEDULES_KEPT = 32;

  private final ScheduleServiceGrpc.ScheduleServiceBlockingStub stub;
  private final Failover failover;

  public RemoteScheduleSource(Channel schedulerChannel) {
    this(schedulerChannel, DEFAULT_CALL_TIMEOUT);
  }

  public RemoteScheduleSource(Channel schedulerChannel, Duration callTimeout) {
    this.stub = ScheduleServiceGrpc.newBlockingStub(schedulerChannel);
    this.failover = new Failover("scheduler", callTimeout);
  }

  /** The sampler's and the trainer's source: this one, keeping the {@link #SCHEDULES_KEPT} latest used. */
  public static ScheduleSource kept(Channel schedulerChannel, Duration callTimeout) {
    return new CachedScheduleSource(new RemoteScheduleSource(schedulerChannel, callTimeout), SCHEDULES_KEPT);
  }

  @Override
  public NoiseSchedule schedule(ScheduleKind kind, int timesteps, int steps, Spacing spacing) {
    GetScheduleRequest request = GetScheduleRequest.newBuilder()
        .setKind(kind.wireName()).setTimesteps(timesteps).setRespaceSteps(steps)
        .setSpacing(spacing.kind().wireName()).setKarrasRho(spacing.rho()).build();
    GetScheduleResponse response = failover.call(stub, scheduler -> scheduler.getSchedule(request));
    NoiseSchedule schedule = ScheduleMessages.fromProto(response.getSchedule());
    // A scheduler that predates spacings ignores the field and answers "", an even schedule.
    Spacing answered = ScheduleMessages.spacing(response.getSpacing(), response.getKarrasRho());
    if (schedule.kind() != kind || schedule.timesteps() != timesteps || schedule.steps() != steps
        || !answered.equals(spacing)) {
      throw new IllegalStateException("asked the scheduler for " + kind.wireName() + " T=" + timesteps + " K="
          + steps + " " + spacing + ", got " + schedule.kind().wireName() + " T=" + schedule.timesteps() + " K="
          + schedule.steps() + " " + answered + "; a scheduler that does not know the spacing needs upgrading");
    }
    return schedule;
  }
}
