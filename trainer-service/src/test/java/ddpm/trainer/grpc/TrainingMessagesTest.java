package ddpm.trainer.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
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

  /**
   * Every field set to a value other than its default survives request → spec → request: a field that
   * TrainingSpec or the .proto lacks, or that the two name differently, would be lost or refused.
   */
  @Test
  void aRequestWithEveryFieldSetIsTheSameAfterTheRoundTripThroughTheSpec() {
    StartTrainingRequest full = StartTrainingRequest.newBuilder()
        .setDataset("mnist").setModelName("m").setSteps(10).setBatchSize(8).setLearningRate(1e-3)
        .setSeed(-2).setSchedule("cosine").setTimesteps(500).setCheckpointEvery(5).setEmaDecay(0.99)
        .setWarmupSteps(3).setGradClipNorm(2).setResume(true).setInitFromModel("base").setInitFromVersion(4)
        .setClassCond(true).setLabelDropout(0.2).setP2Gamma(0.5).setP2K(2)
        .setNetwork(NetworkConfig.newBuilder().setArchitecture("unet").setBaseChannels(16).addChannelMult(1)
            .addChannelMult(2).setNumResBlocks(2).addAttentionResolutions(14).setDropout(0.2).setNumClasses(10))
        .build();
    assertEveryFieldSet(full);
    assertEveryFieldSet(full.getNetwork());
    assertEquals(full, TrainingMessages.toRequest(TrainingMessages.toSpec(full)));
  }

  private static void assertEveryFieldSet(Message message) {
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      assertTrue(field.isRepeated() ? message.getRepeatedFieldCount(field) > 0 : message.hasField(field),
          field.getFullName() + " is not set in the test");
    }
  }

  @Test
  void theRequestAsRunRecordsTheResolvedDropout() {
    StartTrainingRequest asRun =
        TrainingMessages.toRequest(TrainingMessages.toSpec(request(NetworkConfig.newBuilder().setDropout(0))));
    assertEquals(true, asRun.getNetwork().hasDropout());
    assertEquals(0.0, asRun.getNetwork().getDropout());
  }
}
