package ddpm.grpc.schedule;

import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.diffusion.schedule.ScheduleSource;
import io.grpc.Channel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Schedules from a scheduler service, over a channel from ddpm.grpc.Channels (so the scheduler may be one
 * address, a list of replicas or a DNS name, and a call that fails UNAVAILABLE is retried on another
 * replica). A call made inside a request's gRPC context inherits that request's deadline and cancellation;
 * every call also gets its own deadline, which bounds calls made outside one (a training job).
 */
public final class RemoteScheduleSource implements ScheduleSource {
  /** Far above a schedule's computation (milliseconds), far below a hung scheduler going unnoticed. */
  public static final int DEFAULT_CALL_TIMEOUT_SECONDS = 30;
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(DEFAULT_CALL_TIMEOUT_SECONDS);

  private final ScheduleServiceGrpc.ScheduleServiceBlockingStub stub;
  private final Duration callTimeout;

  public RemoteScheduleSource(Channel schedulerChannel) {
    this(schedulerChannel, DEFAULT_CALL_TIMEOUT);
  }

  public RemoteScheduleSource(Channel schedulerChannel, Duration callTimeout) {
    this.stub = ScheduleServiceGrpc.newBlockingStub(schedulerChannel);
    this.callTimeout = callTimeout;
  }

  @Override
  public NoiseSchedule schedule(ScheduleKind kind, int timesteps, int steps) {
    GetScheduleRequest request = GetScheduleRequest.newBuilder()
        .setKind(kind.wireName()).setTimesteps(timesteps).setRespaceSteps(steps).build();
    // The deadline is set per call: it counts from when it is set.
    NoiseSchedule schedule = ScheduleMessages.fromProto(
        stub.withDeadlineAfter(callTimeout.toNanos(), TimeUnit.NANOSECONDS).getSchedule(request).getSchedule());
    if (schedule.kind() != kind || schedule.timesteps() != timesteps || schedule.steps() != steps) {
      throw new IllegalStateException("asked the scheduler for " + kind.wireName() + " T=" + timesteps + " K="
          + steps + ", got " + schedule.kind().wireName() + " T=" + schedule.timesteps() + " K=" + schedule.steps());
    }
    return schedule;
  }
}
