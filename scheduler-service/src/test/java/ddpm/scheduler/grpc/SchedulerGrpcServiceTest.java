package ddpm.scheduler.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.GetScheduleResponse;
import ddpm.api.v1.Schedule;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.api.v1.ScheduleServiceGrpc.ScheduleServiceBlockingStub;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.diffusion.schedule.Spacing;
import ddpm.diffusion.schedule.SpacingKind;
import ddpm.grpc.Endpoint;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.testing.GrpcCleanup;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchedulerGrpcServiceTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  private ScheduleServiceBlockingStub stub;

  @BeforeEach
  void startServer() throws IOException {
    var server = grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback())));
    stub = ScheduleServiceGrpc.newBlockingStub(grpc.channelTo(server));
  }

  @Test
  void theFullScheduleCarriesEveryArrayOfNoiseSchedule() {
    Schedule s = get("linear", 1000, 0);
    NoiseSchedule expected = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
    assertEquals("linear", s.getKind());
    assertEquals(1000, s.getTimesteps());
    assertEquals(1000, s.getSteps());
    assertEquals(0.9999, s.getAlphasCumprod(0), 1e-12);
    assertArrayEquals(expected.timestepIndices(), ints(s.getTimestepIndicesList()));
    assertArrayEquals(expected.betas(), doubles(s.getBetasList()));
    assertArrayEquals(expected.alphas(), doubles(s.getAlphasList()));
    assertArrayEquals(expected.alphasCumprod(), doubles(s.getAlphasCumprodList()));
    assertArrayEquals(expected.alphasCumprodPrev(), doubles(s.getAlphasCumprodPrevList()));
    assertArrayEquals(expected.sqrtAlphasCumprod(), doubles(s.getSqrtAlphasCumprodList()));
    assertArrayEquals(expected.sqrtOneMinusAlphasCumprod(), doubles(s.getSqrtOneMinusAlphasCumprodList()));
    assertArrayEquals(expected.posteriorVariance(), doubles(s.getPosteriorVarianceList()));
    assertArrayEquals(expected.posteriorLogVarianceClipped(), doubles(s.getPosteriorLogVarianceClippedList()));
    assertArrayEquals(expected.posteriorMeanCoefX0(), doubles(s.getPosteriorMeanCoefX0List()));
    assertArrayEquals(expected.posteriorMeanCoefXt(), doubles(s.getPosteriorMeanCoefXtList()));
  }

  @Test
  void aRespacedScheduleKeepsEvenlySpacedOriginalTimesteps() {
    Schedule s = get("cosine", 1000, 4);
    assertEquals(1000, s.getTimesteps());
    assertEquals(4, s.getSteps());
    assertEquals(List.of(0, 333, 666, 999), s.getTimestepIndicesList());
    assertEquals(4, s.getBetasCount());
    assertEquals(4, s.getPosteriorMeanCoefXtCount());
    assertArrayEquals(NoiseSchedule.of(ScheduleKind.COSINE, 1000).respace(4).betas(), doubles(s.getBetasList()));
  }

  @Test
  void respacingToTimestepsEqualsNoRespacing() {
    assertEquals(get("linear", 100, 0), get("linear", 100, 100));
  }

  @ParameterizedTest
  @CsvSource({
      "quadratic, 1000, 0, kind", "'', 1000, 0, kind", "Linear, 1000, 0, kind",
      "linear, 0, 0, timesteps", "linear, -5, 0, timesteps", "linear, 100001, 0, timesteps",
      "cosine, 1000, -1, respace_steps", "cosine, 1000, 1001, respace_steps"})
  void badRequestsAreInvalidArgumentsNamingTheFieldAndTheServerKeepsServing(
      String kind, int timesteps, int respaceSteps, String field) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> get(kind, timesteps, respaceSteps));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().startsWith(field), e.getStatus().getDescription());
    assertEquals(10, get("linear", 10, 0).getSteps());
  }

  @ParameterizedTest
  @CsvSource({"trailing, 0, trailing, 7", "karras, 0, karras, 7", "karras, 3, karras, 3", "'', 0, even, 7",
      "even, 5, even, 7"})
  void aSpacingChoosesTheKeptTimestepsAndComesBack(String spacing, double rho, String echoed, double echoedRho) {
    GetScheduleResponse response = stub.getSchedule(GetScheduleRequest.newBuilder().setKind("linear")
        .setTimesteps(1000).setRespaceSteps(20).setSpacing(spacing).setKarrasRho(rho).build());
    Spacing expected = new Spacing(SpacingKind.parse(echoed, "spacing"), echoedRho);
    NoiseSchedule respaced = NoiseSchedule.of(ScheduleKind.LINEAR, 1000).respace(20, expected);
    assertArrayEquals(respaced.timestepIndices(), ints(response.getSchedule().getTimestepIndicesList()));
    assertArrayEquals(respaced.betas(), doubles(response.getSchedule().getBetasList()));
    assertEquals(echoed, response.getSpacing());
    assertEquals(echoedRho, response.getKarrasRho());
  }

  @ParameterizedTest
  @CsvSource({"uniform, 0, spacing", "Trailing, 0, spacing", "karras, -1, karras_rho", "even, NaN, karras_rho"})
  void aBadSpacingIsAnInvalidArgumentNamingTheField(String spacing, double rho, String field) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.getSchedule(
        GetScheduleRequest.newBuilder().setKind("linear").setTimesteps(100).setRespaceSteps(10)
            .setSpacing(spacing).setKarrasRho(rho).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().startsWith(field), e.getStatus().getDescription());
  }

  private Schedule get(String kind, int timesteps, int respaceSteps) {
    return stub.getSchedule(GetScheduleRequest.newBuilder()
        .setKind(kind).setTimesteps(timesteps).setRespaceSteps(respaceSteps).build()).getSchedule();
  }

  private static double[] doubles(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static int[] ints(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }
}
