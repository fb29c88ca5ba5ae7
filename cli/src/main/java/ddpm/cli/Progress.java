package ddpm.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The progress bar every long command shows on stderr; its total is set once the service reports it. */
final class Progress {
  private Progress() {}

  static ProgressBar bar(String task) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(-1)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250)
        .showSpeed()
        .continuousUpdate()
        .build();
  }
}
