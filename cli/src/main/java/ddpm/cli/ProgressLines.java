package ddpm.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;

/**
 * Progress for a log: a line such as {@code sampling 30% (300/1000) 0:00:12} the first time the work is seen, each
 * time it passes another tenth, at least once a minute while it moves, and one when it ends; nothing in between (an
 * empty string, which {@link Progress} does not print). The minute keeps a long training run's log alive: a tenth
 * of 6,000 steps is half an hour on a small machine.
 */
final class ProgressLines implements ProgressBarRenderer {
  private static final int LINES_PER_RUN = 10;
  private static final Duration MOST_BETWEEN_LINES = Duration.ofMinutes(1);

  private long lastTenth = -1;
  private long lastPrinted = -1;
  private Duration lastPrintedAt = Duration.ZERO;

  @Override
  public String render(ProgressState state, int maxLength) {
    return line(state.getTaskName(), state.getCurrent(), state.getMax(), state.isIndefinite(), !state.isAlive(),
        state.getElapsedAfterStart(), state.getExtraMessage());
  }

  /** The line for work at {@code current} of {@code max} after {@code elapsed}, or "" when none is due. */
  synchronized String line(String task, long current, long max, boolean indefinite, boolean ended,
      Duration elapsed, String extra) {
    if (indefinite || max <= 0) {
      return "";
    }
    long tenth = Math.min(current, max) * LINES_PER_RUN / max;
    boolean moved = current != lastPrinted;
    boolean due = tenth > lastTenth
        || moved && (ended || elapsed.minus(lastPrintedAt).compareTo(MOST_BETWEEN_LINES) >= 0);
    if (!due) {
      return "";
    }
    lastTenth = tenth;
    lastPrinted = current;
    lastPrintedAt = elapsed;
    return String.format(Locale.ROOT, "%s %d%% (%d/%d) %d:%02d:%02d%s", task, Math.min(current, max) * 100 / max,
        current, max, elapsed.toHours(), elapsed.toMinutesPart(), elapsed.toSecondsPart(),
        Objects.toString(extra, ""));
  }
}
