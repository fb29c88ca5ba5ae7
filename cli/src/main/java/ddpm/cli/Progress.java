package ddpm.cli;

import java.io.PrintWriter;
import java.time.Duration;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress every long command shows: on a terminal a bar on stderr, redrawn in place; written to a file or a
 * pipe, where a redrawn bar piles up as carriage returns and escape codes, plain {@link ProgressLines} on the
 * command's error stream instead.
 */
final class Progress {
  /** Wide enough for the loss, learning rate and rates after the bar, which a narrower line cuts off in logs. */
  private static final int LINE_LENGTH = 160;

  /**
   * Whether standard error, where progress goes, is a terminal: {@code ./ddpm} sets it from {@code [ -t 2 ]},
   * because Java 17 can only tell whether standard input and output are ({@link System#console()}), and a command
   * run with {@code 2> log} would otherwise draw its bar into the file.
   */
  static final String STDERR_IS_TERMINAL = "ddpm.stderr.terminal";

  private Progress() {}

  /** A bar whose total is set once the service reports it. */
  static ProgressBar bar(String task, PrintWriter err) {
    return builder(task, err).setInitialMax(-1).build();
  }

  /**
   * A bar for work that resumes at {@code done} of {@code total}: its speed and time left count only what this run
   * does, not the steps a checkpoint already held.
   */
  static ProgressBar resumedBar(String task, long done, long total, PrintWriter err) {
    return builder(task, err).setInitialMax(total).startsFrom(done, Duration.ZERO).build();
  }

  private static ProgressBarBuilder builder(String task, PrintWriter err) {
    ProgressBarBuilder builder = new ProgressBarBuilder()
        .setTaskName(task)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250)
        .setMaxRenderedLength(LINE_LENGTH)
        .showSpeed()
        .continuousUpdate();
    if (!stderrIsTerminal()) {
      builder.setRenderer(new ProgressLines()).setConsumer(new DelegatingProgressBarConsumer(line -> {
        if (!line.isEmpty()) {
          err.println(line);
          err.flush();
        }
      }, LINE_LENGTH));
    }
    return builder;
  }

  static boolean stderrIsTerminal() {
    String known = System.getProperty(STDERR_IS_TERMINAL);
    return known == null ? System.console() != null : Boolean.parseBoolean(known);
  }
}
