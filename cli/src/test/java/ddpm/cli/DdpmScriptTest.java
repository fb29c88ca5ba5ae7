package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./ddpm script's test of whether to build again, run on a small project of two modules beside a copy of the
 * script: only the root pom and the modules' poms and sources count, never a node_modules or venv in the checkout.
 */
class DdpmScriptTest {
  private static final Instant BUILT = Instant.parse("2024-01-01T12:00:00Z");
  private static final Instant BEFORE = BUILT.minusSeconds(3600);
  private static final Instant AFTER = BUILT.plusSeconds(3600);

  @TempDir Path root;

  @BeforeEach
  void project() throws IOException {
    Files.copy(Path.of("..", "ddpm"), root.resolve("ddpm"), StandardCopyOption.COPY_ATTRIBUTES);
    write("pom.xml", "<project>\n  <modules>\n    <module>core</module>\n    <module>app</module>\n"
        + "  </modules>\n</project>\n");
    write(".gitignore", "node_modules/\n");
    for (String file : List.of("core/pom.xml", "core/src/main/java/Core.java", "app/pom.xml",
        "app/src/main/java/App.java", "app/README.md", "scripts/src/tool.sh")) {
      write(file, "");
    }
  }

  @Test
  void aCheckoutNeverBuiltIsStale() throws Exception {
    assertEquals(Verdict.STALE, stale());
  }

  @Test
  void aBuildNewerThanEveryProjectFileIsUsed() throws Exception {
    build("100-7", BUILT);
    assertEquals(Verdict.FRESH, stale());
  }

  @Test
  void aChangedSourcePomOrRootPomMakesItStale() throws Exception {
    build("100-7", BUILT);
    for (String file : List.of("core/src/main/java/Core.java", "app/pom.xml", "pom.xml")) {
      touch(file, AFTER);
      assertEquals(Verdict.STALE, stale(), file);
      touch(file, BEFORE);
    }
  }

  @Test
  void filesOutsideTheModulesSourcesDoNotCount() throws Exception {
    build("100-7", BUILT);
    for (String file : List.of("node_modules/left-pad/src/index.js", "venv/lib/python3/src/site.py",
        "app/node_modules/x/src/y.js", "app/README.md", "scripts/src/tool.sh")) {
      write(file, "");
      touch(file, AFTER);
    }
    assertEquals(Verdict.FRESH, stale());
  }

  @Test
  void theNewestBuildIsTheOneCompared() throws Exception {
    build("9-1", BEFORE.minusSeconds(3600));
    build("10-1", BUILT);
    build(".building-3", BUILT.plusSeconds(7200));
    touch("core/src/main/java/Core.java", BUILT.minusSeconds(60));
    assertEquals(Verdict.FRESH, stale());
    touch("core/src/main/java/Core.java", AFTER);
    assertEquals(Verdict.STALE, stale());
  }

  /** In a git checkout: a file git ignores never counts, even in a module's sources; a new one it would track does. */
  @Test
  void inAGitCheckoutIgnoredFilesDoNotCountAndNewOnesDo() throws Exception {
    assumeTrue(run("git", "--version") == 0, "git is not installed");
    assertEquals(0, run("git", "init", "-q"));
    assertEquals(0, run("git", "add", "."));
    build("100-7", BUILT);
    write("core/src/node_modules/dep.js", "");
    touch("core/src/node_modules/dep.js", AFTER);
    assertEquals(Verdict.FRESH, stale());
    write("core/src/main/java/Added.java", "");
    touch("core/src/main/java/Added.java", AFTER);
    assertEquals(Verdict.STALE, stale());
  }

  /** Commands that do one job and exit run with the quick compiler alone; servers and benchmarks keep both. */
  @Test
  void shortCommandsRunWithTheQuickCompilerAloneAndServersAndBenchmarksWithBoth() throws Exception {
    for (String command : List.of("sample", "eval", "models", "schedule")) {
      assertEquals("-XX:TieredStopAtLevel=1", jitOptions(command), command);
    }
    for (String command : List.of("up", "serve", "bench", "device-bench", "soak", "train", "--version", "")) {
      assertEquals("", jitOptions(command), command);
    }
  }

  private String jitOptions(String command) throws Exception {
    Process process = new ProcessBuilder("bash", "-c", "source ./ddpm && jit_options \"$1\"", "bash", command)
        .directory(root.toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes()).strip();
    assertEquals(0, process.waitFor(), out);
    return out;
  }

  private enum Verdict { STALE, FRESH }

  private Verdict stale() throws Exception {
    int code = run("bash", "-c", "source ./ddpm && stale");
    assertTrue(code == 0 || code == 1, "stale exited " + code);
    return code == 0 ? Verdict.STALE : Verdict.FRESH;
  }

  private void build(String name, Instant started) throws IOException {
    write("cli/target/ddpm-builds/" + name + "/started", "");
    touch("cli/target/ddpm-builds/" + name + "/started", started);
  }

  private void write(String file, String text) throws IOException {
    Path path = root.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
    touch(file, BEFORE);
  }

  private void touch(String file, Instant time) throws IOException {
    Files.setLastModifiedTime(root.resolve(file), FileTime.from(time));
  }

  private int run(String... command) throws Exception {
    return new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
  }
}
