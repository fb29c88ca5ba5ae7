package ddpm.grpc.schedule;

import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.diffusion.schedule.ScheduleSource;
import io.grpc.Channel;
import java.util.concurrent.TimeUnit;

/**
 * Schedules from a scheduler service. A call made inside a request's gRPC context inherits that request's
 * deadline and cancellation; the fixed deadline bounds calls made outside one (a training job).
 */
public final class RemoteScheduleSource implements ScheduleSource {
  private static final long DEADLINE_SECONDS = 30;

  private final ScheduleServiceGrpc.ScheduleServiceBlockingStub stub;

  public RemoteScheduleSource(Channel schedulerChannel) {
    this.stub = ScheduleServiceGrpc.newBlockingStub(schedulerChannel);
  }

  @Override
  public NoiseSchedule schedule(ScheduleKind kind, int timesteps, int steps) {
    GetScheduleRequest request = GetScheduleRequest.newBuilder()
        .setKind(kind.wireName()).setTimesteps(timesteps).setRespaceSteps(steps).build();
    NoiseSchedule schedule = ScheduleMessages.fromProto(
        stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).getSchedule(request).getSchedule());
    if (schedule.kind() != kind || schedule.timesteps() != timesteps || schedule.steps() != steps) {
      throw new IllegalStateException("asked the scheduler for " + kind.wireName() + " T=" + timesteps + " K="
          + steps + ", got " + schedule.kind().wireName() + " T=" + schedule.timesteps() + " K=" + schedule.steps());
    }
    return schedule;
  }
}
