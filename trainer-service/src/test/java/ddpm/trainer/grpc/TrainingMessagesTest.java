package ddpm.trainer.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ddpm.api.v1.NetworkConfig;
import ddpm.api.v1.StartTrainingRequest;
import org.junit.jupiter.api.Test;

class TrainingMessagesTest {
  private static StartTrainingRequest request(NetworkConfig.Builder network) {
    return StartTrainingRequest.newBuilder().setDataset("digits").setModelName("m").setSteps(10).setBatchSize(8)
        .setLearningRate(1e-3).setSchedule("linear").setNetwork(network).build();
  }

  @Test
  void anUnsetDropoutIsTheArchitecturesDefaultAndAnExplicitZeroTurnsItOff() {
    assertEquals(0.1, TrainingMessages.toSpec(request(NetworkConfig.newBuilder())).network().dropout());
    assertEquals(0.0, TrainingMessages.toSpec(request(NetworkConfig.newBuilder().setDropout(0))).network().dropout());
    assertEquals(0.0,
        TrainingMessages.toSpec(request(NetworkConfig.newBuilder().setArchitecture("conv"))).network().dropout());
    assertEquals(0.25,
        TrainingMessages.toSpec(request(NetworkConfig.newBuilder().setDropout(0.25))).network().dropout());
  }

  @Test
  void theRequestAsRunRecordsTheResolvedDropout() {
    StartTrainingRequest asRun =
        TrainingMessages.toRequest(TrainingMessages.toSpec(request(NetworkConfig.newBuilder().setDropout(0))));
    assertEquals(true, asRun.getNetwork().hasDropout());
    assertEquals(0.0, asRun.getNetwork().getDropout());
  }
}
