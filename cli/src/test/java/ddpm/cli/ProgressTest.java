package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress off a terminal, where tests run: plain lines, one per tenth of the work and one a minute at most, and one
 * at the end.
 */
class ProgressTest {
  @TempDir Path dir;

  @BeforeEach
  void offATerminal() {
    assumeTrue(System.console() == null, "this JVM has a console, so progress is drawn as a bar");
  }

  @Test
  void aResumedBarPrintsATenthAtATimeWithItsMessageAndEndsAtTheTotal() {
    StringWriter err = new StringWriter();
    try (ProgressBar bar = Progress.resumedBar("training", 400, 1000, new PrintWriter(err))) {
      for (int step = 401; step <= 1000; step++) {
        bar.stepTo(step);
        bar.setExtraMessage(" loss 0.5000");
      }
    }
    List<String> lines = plainLines(err.toString(), 7);
    for (String line : lines) {
      assertTrue(line.matches("training (\\d|\\d\\d|100)% \\(\\d+/1000\\) \\d+:\\d\\d:\\d\\d( loss 0\\.5000)?"), line);
    }
    assertTrue(lines.get(lines.size() - 1).matches("training 100% \\(1000/1000\\) .* loss 0\\.5000"), err.toString());
  }

  @Test
  void aSampleRunOffATerminalWritesAFewPlainLines() throws Exception {
    Path models = dir.resolve("models");
    ModelCard card = ExactDenoisers.card("point", 4, 4, 1, 50, "linear");
    new ModelRepository(models).publish("point",
        version -> ExactDenoisers.exportPointMass(version, card, new float[16]));

    CommandRun run = CommandRun.of("sample", "--model", "point", "--n", "2", "--out", dir.resolve("s").toString(),
        "--models", models.toString());

    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = plainLines(run.err(), 11);
    assertTrue(lines.get(lines.size() - 1).startsWith("sampling 100% (50/50) "), run.err());
  }

  @Test
  void slowWorkGetsALineEachMinuteItMovesBetweenTenths() {
    ProgressLines lines = new ProgressLines();
    String task = "training";
    assertEquals("training 0% (1/6000) 0:00:00", lines.line(task, 1, 6000, false, false, Duration.ZERO, null));
    assertEquals("", lines.line(task, 40, 6000, false, false, Duration.ofSeconds(59), null), "within the minute");
    assertEquals("training 0% (45/6000) 0:01:00 loss 0.02",
        lines.line(task, 45, 6000, false, false, Duration.ofSeconds(60), " loss 0.02"));
    assertEquals("", lines.line(task, 45, 6000, false, false, Duration.ofMinutes(5), null), "a stalled run");
    assertEquals("training 0% (46/6000) 0:05:01",
        lines.line(task, 46, 6000, false, false, Duration.ofSeconds(301), null));
    assertEquals("training 10% (600/6000) 0:05:02",
        lines.line(task, 600, 6000, false, false, Duration.ofSeconds(302), null), "a tenth needs no minute");
    assertEquals("training 10% (601/6000) 0:05:03",
        lines.line(task, 601, 6000, false, true, Duration.ofSeconds(303), null), "the end");
  }

  @Test
  void theScriptsWordOnStandardErrorOverridesTheConsole() {
    try {
      System.setProperty(Progress.STDERR_IS_TERMINAL, "true");
      assertTrue(Progress.stderrIsTerminal(), "./ddpm saw a terminal on stderr");
      System.setProperty(Progress.STDERR_IS_TERMINAL, "false");
      assertFalse(Progress.stderrIsTerminal(), "./ddpm saw a file or pipe on stderr");
    } finally {
      System.clearProperty(Progress.STDERR_IS_TERMINAL);
    }
    assertFalse(Progress.stderrIsTerminal(), "without the script's word, a JVM without a console has no terminal");
  }

  /** The lines of {@code text}, checked to be at most one per tenth of the work past the first and free of redraws. */
  private static List<String> plainLines(String text, int most) {
    assertFalse(text.contains("\r"), "a carriage return: " + text);
    assertFalse(text.contains("\u001b"), "an escape code: " + text);
    List<String> lines = text.lines().toList();
    assertTrue(!lines.isEmpty() && lines.size() <= most, lines.size() + " lines: " + text);
    return lines;
  }
}
