package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.NetworkConfig;
import ddpm.api.v1.StartTrainingRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainCommandTest {
  private static StartTrainingRequest parse(String... args) {
    TrainCommand command = new TrainCommand();
    new CommandLine(command).parseArgs(args);
    return command.request();
  }

  @Test
  void optionsLeftOutSendTheCommandsDefaultsOrNothingForTheTrainersOwn() {
    StartTrainingRequest request = parse("--model", "m");
    assertEquals(StartTrainingRequest.newBuilder().setDataset("digits").setModelName("m").setSteps(2000)
        .setBatchSize(64).setLearningRate(2e-4).setSchedule("linear").build(), request);
    assertFalse(request.hasNetwork(), "no network option: the trainer's default network");
  }

  @Test
  void eachOptionSetsItsField() {
    StartTrainingRequest request = parse("--model", "m", "--arch", "conv", "--channels", "16", "--dropout", "0",
        "--channel-mult", "1,2", "--res-blocks", "2", "--attention", "4", "--ema", "0.99", "--warmup", "5",
        "--clip", "2", "--timesteps", "100", "--checkpoint-every", "10", "--resume", "--init-from", "base:3",
        "--p2-gamma", "0.5", "--p2-k", "2");
    assertEquals(NetworkConfig.newBuilder().setArchitecture("conv").setBaseChannels(16).setDropout(0)
        .addAllChannelMult(List.of(1, 2)).setNumResBlocks(2).addAttentionResolutions(4).build(), request.getNetwork());
    assertTrue(request.getNetwork().hasDropout(), "an explicit 0 turns dropout off");
    assertEquals(0.99, request.getEmaDecay());
    assertEquals(5, request.getWarmupSteps());
    assertEquals(2, request.getGradClipNorm());
    assertEquals(100, request.getTimesteps());
    assertEquals(10, request.getCheckpointEvery());
    assertTrue(request.getResume());
    assertEquals("base", request.getInitFromModel());
    assertEquals(3, request.getInitFromVersion());
    assertEquals(0.5, request.getP2Gamma());
    assertEquals(2, request.getP2K());
  }

  @Test
  void aStartingVersionThatIsNoNumberIsAUsageErrorNamingTheOption() {
    CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
        () -> parse("--model", "m", "--init-from", "base:latest"));
    assertTrue(e.getMessage().startsWith("--init-from"), e.getMessage());
  }
}
