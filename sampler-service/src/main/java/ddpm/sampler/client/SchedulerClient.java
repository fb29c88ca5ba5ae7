package ddpm.sampler.client;

import com.google.inject.Inject;
import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.api.v1.ScheduleServiceGrpc.ScheduleServiceBlockingStub;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.sampler.core.ScheduleSource;
import ddpm.scheduler.grpc.ScheduleMessages;

/** Schedules from the scheduler service, within the deadline of the calling request. */
public final class SchedulerClient implements ScheduleSource {
  private final ScheduleServiceBlockingStub stub;

  @Inject
  public SchedulerClient(PeerChannels channels) {
    this.stub = ScheduleServiceGrpc.newBlockingStub(channels.scheduler());
  }

  @Override
  public NoiseSchedule fullSchedule(ScheduleKind kind, int timesteps) {
    GetScheduleRequest request = GetScheduleRequest.newBuilder()
        .setKind(kind.wireName())
        .setTimesteps(timesteps)
        .build();
    return ScheduleMessages.fromProto(stub.getSchedule(request).getSchedule());
  }
}
