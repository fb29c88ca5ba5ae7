package ddpm.cli;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The progress bar every long command shows on stderr. */
final class Progress {
  /** Wide enough for the loss, learning rate and rates after the bar, which a narrower line cuts off in logs. */
  private static final int LINE_LENGTH = 160;

  private Progress() {}

  /** A bar whose total is set once the service reports it. */
  static ProgressBar bar(String task) {
    return builder(task).setInitialMax(-1).build();
  }

  /**
   * A bar for work that resumes at {@code done} of {@code total}: its speed and time left count only what this run
   * does, not the steps a checkpoint already held.
   */
  static ProgressBar resumedBar(String task, long done, long total) {
    return builder(task).setInitialMax(total).startsFrom(done, Duration.ZERO).build();
  }

  private static ProgressBarBuilder builder(String task) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250)
        .setMaxRenderedLength(LINE_LENGTH)
        .showSpeed()
        .continuousUpdate();
  }
}
