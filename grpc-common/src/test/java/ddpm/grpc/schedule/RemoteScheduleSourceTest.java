package ddpm.grpc.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.GetScheduleResponse;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.diffusion.schedule.Spacing;
import ddpm.diffusion.schedule.SpacingKind;
import ddpm.grpc.Channels;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A scheduler that predates spacings ignores the request's spacing and answers every request evenly. */
class RemoteScheduleSourceTest {
  private ServerRunner scheduler;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    scheduler = ServerRunner.start("scheduler", Endpoint.loopback(), List.of(new EvenOnlyScheduler()));
    channel = Channels.plaintext("127.0.0.1:" + scheduler.port());
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    scheduler.close();
  }

  @Test
  void anEvenScheduleFromAnOlderSchedulerServesEvenSpacing() {
    NoiseSchedule schedule = new RemoteScheduleSource(channel).schedule(ScheduleKind.LINEAR, 100, 10);
    assertArrayEquals(NoiseSchedule.of(ScheduleKind.LINEAR, 100).respace(10).timestepIndices(),
        schedule.timestepIndices());
  }

  @Test
  void anEvenScheduleForAnotherSpacingIsRefusedRatherThanUsed() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RemoteScheduleSource(channel)
        .schedule(ScheduleKind.LINEAR, 100, 10, Spacing.of(SpacingKind.TRAILING)));
    assertTrue(e.getMessage().contains("trailing") && e.getMessage().contains("upgrading"), e.getMessage());
  }

  private static final class EvenOnlyScheduler extends ScheduleServiceGrpc.ScheduleServiceImplBase {
    @Override
    public void getSchedule(GetScheduleRequest request, StreamObserver<GetScheduleResponse> observer) {
      NoiseSchedule schedule = NoiseSchedule.of(ScheduleKind.parse(request.getKind(), "kind"), request.getTimesteps())
          .respace(request.getRespaceSteps());
      observer.onNext(GetScheduleResponse.newBuilder().setSchedule(ScheduleMessages.toProto(schedule)).build());
      observer.onCompleted();
    }
  }
}
