package ddpm.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;

/**
 * Progress for a log: a line such as {@code sampling 30% (300/1000) 0:00:12} the first time the work is seen and
 * each time it passes another tenth, and one when it ends; nothing in between (an empty string, which
 * {@link Progress} does not print).
 */
final class ProgressLines implements ProgressBarRenderer {
  private static final int LINES_PER_RUN = 10;

  private long lastTenth = -1;
  private long lastPrinted = -1;

  @Override
  public synchronized String render(ProgressState state, int maxLength) {
    long max = state.getMax();
    long current = state.getCurrent();
    if (state.isIndefinite() || max <= 0) {
      return "";
    }
    long tenth = Math.min(current, max) * LINES_PER_RUN / max;
    boolean ended = !state.isAlive();
    if (tenth <= lastTenth && !(ended && current != lastPrinted)) {
      return "";
    }
    lastTenth = tenth;
    lastPrinted = current;
    Duration elapsed = state.getElapsedAfterStart();
    return String.format(Locale.ROOT, "%s %d%% (%d/%d) %d:%02d:%02d%s", state.getTaskName(),
        Math.min(current, max) * 100 / max, current, max, elapsed.toHours(), elapsed.toMinutesPart(),
        elapsed.toSecondsPart(), Objects.toString(state.getExtraMessage(), ""));
  }
}
