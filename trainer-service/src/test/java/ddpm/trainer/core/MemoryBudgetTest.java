package ddpm.trainer.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.trainer.graph.Architecture;
import ddpm.trainer.graph.EpsNetConfig;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
  private static final ImageShape DIGITS = new ImageShape(8, 8, 1);
  private static final ImageShape MNIST = new ImageShape(28, 28, 1);
  private static final MemoryBudget EIGHT_GIB = new MemoryBudget(8L << 30);

  private static TrainingSpec spec(EpsNetConfig network, ImageShape image, int batchSize) {
    return new TrainingSpec("digits", "m", network.forImage(image), 1, batchSize, 1e-3, 0, ScheduleKind.LINEAR, 0, 0,
        0, 0, 0, false, "", 0);
  }

  private static EpsNetConfig unet(int baseChannels, List<Integer> channelMult) {
    return new EpsNetConfig(Architecture.UNET, baseChannels, channelMult, null, null, null);
  }

  /**
   * The job that took 8 GB and kept it (C = 256, batch 4096, on the 8×8 digits) is refused before it starts,
   * naming batch_size and the network's fields; the largest batch the message offers fits and one more does not.
   */
  @Test
  void aJobAboveTheBudgetIsRefusedNamingBatchSizeAndTheLargestBatchThatFits() {
    EpsNetConfig wide = unet(256, null);
    RejectedExecutionException refused =
        assertThrows(RejectedExecutionException.class, () -> EIGHT_GIB.check(spec(wide, DIGITS, 4096), DIGITS));

    String message = refused.getMessage();
    assertTrue(message.startsWith("batch_size: 4096 images of about "), message);
    assertTrue(message.contains("network.architecture unet, network.base_channels 256, network.channel_mult [1, 2, 2],"
        + " network.num_res_blocks 1, network.attention_resolutions [2] on the data set's 8×8×1 images"), message);
    assertTrue(message.contains("more than the trainer's memory budget of 8.0 GiB"), message);
    Matcher offered = Pattern.compile("ask for batch_size ≤ (\\d+), or a smaller network$").matcher(message);
    assertTrue(offered.find(), message);
    int fits = Integer.parseInt(offered.group(1));
    assertDoesNotThrow(() -> EIGHT_GIB.check(spec(wide, DIGITS, fits), DIGITS));
    assertThrows(RejectedExecutionException.class, () -> EIGHT_GIB.check(spec(wide, DIGITS, fits + 1), DIGITS));
  }

  @Test
  void aNetworkThatExceedsTheBudgetWithOneImageIsRefusedNamingTheNetwork() {
    EpsNetConfig huge = unet(256, List.of(1, 2, 4, 8));
    RejectedExecutionException refused = assertThrows(RejectedExecutionException.class,
        () -> new MemoryBudget(1L << 30).check(spec(huge, DIGITS, 1), DIGITS));

    String message = refused.getMessage();
    assertTrue(message.startsWith("network.base_channels: network.architecture unet, network.base_channels 256,"
        + " network.channel_mult [1, 2, 4, 8]"), message);
    assertTrue(message.endsWith("more than the trainer's memory budget of 1.0 GiB; ask for a smaller network"
        + " (network.base_channels, network.channel_mult, network.num_res_blocks, network.attention_resolutions)"),
        message);
  }

  /** The README's MNIST run (default U-Net, batch 64) and the digits runs fit in 2 GiB. */
  @Test
  void theDocumentedRunsFit() {
    MemoryBudget twoGib = new MemoryBudget(2L << 30);
    assertDoesNotThrow(() -> twoGib.check(spec(EpsNetConfig.defaults(), MNIST, 64), MNIST));
    assertDoesNotThrow(() -> twoGib.check(spec(EpsNetConfig.conv(32), DIGITS, 128), DIGITS));
  }

  @Test
  void sizesAreWrittenInBinaryUnits() {
    assertEquals("512 bytes", MemoryBudget.size(512));
    assertEquals("6.5 MiB", MemoryBudget.size(6.5 * (1 << 20)));
    assertEquals("31.2 GiB", MemoryBudget.size(31.2 * (1L << 30)));
  }
}
