package ddpm.scheduler.grpc;

import com.google.inject.Inject;
import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.GetScheduleResponse;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.diffusion.schedule.Spacing;
import ddpm.grpc.Responses;
import ddpm.grpc.schedule.ScheduleMessages;
import ddpm.scheduler.core.ScheduleCache;
import io.grpc.stub.StreamObserver;

/** GetSchedule over the cache; bad sizes, kinds and spacings come back as INVALID_ARGUMENT naming the field. */
public final class SchedulerGrpcService extends ScheduleServiceGrpc.ScheduleServiceImplBase {
  private final ScheduleCache cache;

  @Inject
  public SchedulerGrpcService(ScheduleCache cache) {
    this.cache = cache;
  }

  @Override
  public void getSchedule(GetScheduleRequest request, StreamObserver<GetScheduleResponse> observer) {
    Responses.unary(observer, () -> {
      ScheduleKind kind = ScheduleKind.parse(request.getKind(), "kind");
      int timesteps = request.getTimesteps();
      int steps = request.getRespaceSteps() == 0 ? timesteps : request.getRespaceSteps();
      Spacing spacing = ScheduleMessages.spacing(request.getSpacing(), request.getKarrasRho());
      return GetScheduleResponse.newBuilder()
          .setSchedule(ScheduleMessages.toProto(cache.get(kind, timesteps, steps, spacing)))
          .setSpacing(spacing.kind().wireName())
          .setKarrasRho(spacing.rho())
          .build();
    });
  }
}
