package ddpm.trainer.core;

import ddpm.diffusion.ImageShape;
import ddpm.trainer.graph.EpsNetConfig;
import ddpm.trainer.graph.StepMemory;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;

/**
 * The most memory one training job may take, by {@link StepMemory}'s estimate. A job above it is refused when
 * it is submitted, before it takes any: a step's memory, and its time, grow with the batch, so the budget is
 * also what keeps one step (the unit in which a job notices CancelJob) short.
 */
public record MemoryBudget(long bytes) {
  /**
   * Passes when the job fits; otherwise RejectedExecutionException (RESOURCE_EXHAUSTED) naming the fields that
   * drive the estimate: batch_size and how far to lower it, or, when the network alone does not fit, the
   * network's fields. {@code spec}'s network must be resolved for the data set's images.
   */
  public void check(TrainingSpec spec, ImageShape image) {
    StepMemory memory = StepMemory.of(spec.network(), image);
    double needed = memory.bytes(spec.batchSize());
    if (needed <= bytes) {
      return;
    }
    String network = describe(spec.network()) + " on the data set's " + image.height() + "×" + image.width() + "×"
        + image.channels() + " images";
    String weights = size(memory.fixedBytes()) + " for the session and about " + millions(memory.parameters())
        + " parameters";
    long fittingBatch = (long) Math.floor((bytes - memory.fixedBytes()) / memory.bytesPerImage());
    if (fittingBatch < 1) {
      throw new RejectedExecutionException("network.base_channels: " + network + " needs about "
          + size(memory.bytes(1)) + " with one image (" + weights + "), more than the trainer's memory budget of "
          + size(bytes) + "; ask for a smaller network (network.base_channels, network.channel_mult,"
          + " network.num_res_blocks, network.attention_resolutions)");
    }
    throw new RejectedExecutionException("batch_size: " + spec.batchSize() + " images of about "
        + size(memory.bytesPerImage()) + " each (" + network + ") and " + weights + " need about " + size(needed)
        + ", more than the trainer's memory budget of " + size(bytes) + "; ask for batch_size ≤ " + fittingBatch
        + ", or a smaller network");
  }

  private static String describe(EpsNetConfig network) {
    String described = "network.architecture " + network.architecture().wireName() + ", network.base_channels "
        + network.baseChannels();
    if (network.architecture().hasLevels()) {
      described += ", network.channel_mult " + network.channelMult() + ", network.num_res_blocks "
          + network.numResBlocks() + ", network.attention_resolutions " + network.attentionResolutions();
    }
    return described;
  }

  /** Bytes in binary units, e.g. {@code 6.7 MiB}, {@code 31.2 GiB}. */
  static String size(double bytes) {
    String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (bytes >= 1024 && unit < units.length - 1) {
      bytes /= 1024;
      unit++;
    }
    return unit == 0 ? Math.round(bytes) + " bytes" : String.format(Locale.ROOT, "%.1f %s", bytes, units[unit]);
  }

  private static String millions(long count) {
    return count >= 1_000_000 ? String.format(Locale.ROOT, "%.1f M", count / 1e6) : Long.toString(count);
  }
}
