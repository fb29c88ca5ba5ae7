package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.trainer.graph.Architecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Help for every command, and options checked before a command does its work. */
class CommandUsageTest {
  @TempDir Path dir;

  @Test
  void everyCommandPrintsItsHelp() {
    List<List<String>> commands = new ArrayList<>();
    commands.add(List.of());
    addSubcommands(Ddpm.commandLine(), List.of(), commands);
    assertTrue(commands.contains(List.of("bench")), commands.toString());
    for (List<String> command : commands) {
      List<String> args = new ArrayList<>(command);
      args.add("--help");

      CommandRun run = CommandRun.of(args.toArray(String[]::new));

      assertEquals(0, run.exitCode(), command + ": " + run.err());
      List<String> words = new ArrayList<>(List.of("ddpm"));
      words.addAll(command);
      assertTrue(run.out().contains("Usage: " + String.join(" ", words)), command + ": " + run.out());
      assertEquals("", run.err(), command.toString());
    }
  }

  /** The choices a help lists come from their tables, so a new schedule family or network needs no edit here. */
  @Test
  void scheduleAndArchitectureChoicesAreTheirTablesRows() {
    String schedules = Arrays.stream(ScheduleKind.values()).map(ScheduleKind::wireName)
        .collect(Collectors.joining(", "));
    String train = CommandRun.of("train", "--help").out().replaceAll("\\s+", " ");
    assertTrue(train.contains("--schedule=<schedule> " + schedules + " (default: linear)"), train);
    assertTrue(train.contains("Network: " + String.join(", ", Architecture.names()) + ";"), train);
    String schedule = CommandRun.of("schedule", "--help").out().replaceAll("\\s+", " ");
    assertTrue(schedule.contains("--kind=<kind> " + schedules + " (default: linear)"), schedule);
  }

  @Test
  void sampleRefusesAnOutFolderThatDoesNotExistBeforeSampling() {
    Path missing = dir.resolve("missing");
    // Nothing listens at the target: had the command sampled first, it would fail UNAVAILABLE instead.
    CommandRun run = CommandRun.of("sample", "--model", "mnist", "--out", missing.resolve("s.png").toString(),
        "--target", "127.0.0.1:1");

    assertEquals(1, run.exitCode());
    assertEquals("ddpm sample: --out: folder " + missing.toAbsolutePath() + " does not exist", run.err().strip());
  }

  @Test
  void sampleRefusesAnOutFolderThatIsAFile() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "");
    CommandRun run = CommandRun.of("sample", "--model", "mnist", "--out", file.resolve("s").toString(),
        "--target", "127.0.0.1:1");

    assertEquals(1, run.exitCode());
    assertEquals("ddpm sample: --out: folder " + file.toAbsolutePath() + " is not a folder", run.err().strip());
  }

  private static void addSubcommands(CommandLine parent, List<String> path, List<List<String>> into) {
    for (Map.Entry<String, CommandLine> sub : parent.getSubcommands().entrySet()) {
      List<String> command = new ArrayList<>(path);
      command.add(sub.getKey());
      into.add(command);
      addSubcommands(sub.getValue(), command, into);
    }
  }
}
