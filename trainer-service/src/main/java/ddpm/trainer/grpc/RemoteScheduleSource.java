package ddpm.trainer.grpc;

import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.scheduler.grpc.ScheduleMessages;
import ddpm.trainer.core.ScheduleSource;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;

/** Asks the scheduler service for the full schedule a training job names. */
public final class RemoteScheduleSource implements ScheduleSource {
  private static final long DEADLINE_SECONDS = 30;

  private final ScheduleServiceGrpc.ScheduleServiceBlockingStub stub;

  public RemoteScheduleSource(Channel schedulerChannel) {
    this.stub = ScheduleServiceGrpc.newBlockingStub(schedulerChannel);
  }

  @Override
  public NoiseSchedule get(ScheduleKind kind, int timesteps) {
    GetScheduleRequest request = GetScheduleRequest.newBuilder().setKind(kind.wireName()).setTimesteps(timesteps).build();
    try {
      return ScheduleMessages.fromProto(
          stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).getSchedule(request).getSchedule());
    } catch (StatusRuntimeException e) {
      throw new IllegalStateException("scheduler: GetSchedule(" + kind.wireName() + ", " + timesteps + ") failed: "
          + e.getStatus(), e);
    }
  }
}
