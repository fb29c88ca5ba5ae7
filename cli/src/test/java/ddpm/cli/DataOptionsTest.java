package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --data} is the data root in every command, and {@code --dataset} lists the registry's choices. The roots
 * here are relative, which messages name as given (an absolute one they name "<data root>", as a trainer's client
 * may not learn its paths), so that a message shows which root was read.
 */
class DataOptionsTest {
  @TempDir Path dir;

  private Path root() {
    return Path.of("").toAbsolutePath().relativize(dir.resolve("data"));
  }

  @Test
  void trainReadsADownloadFromItsFolderUnderTheDataRoot() {
    Path root = root();
    CommandRun run = CommandRun.of("train", "--dataset", "fashion-mnist", "--model", "f", "--steps", "1",
        "--data", root.toString(), "--models", dir.resolve("models").toString(),
        "--work", dir.resolve("work").toString());
    assertEquals(1, run.exitCode(), run.err());
    Path images = root.resolve("fashion-mnist").resolve("train-images-idx3-ubyte");
    assertTrue(run.err().contains("FAILED_PRECONDITION") && run.err().contains(images.toString())
        && run.err().contains("scripts/fetch-fashion-mnist.sh"), run.err());
  }

  @Test
  void evalReadsTheReferenceFromItsFolderUnderTheDataRoot() throws IOException {
    Path root = root();
    Path samples = dir.resolve("x.npz");
    Npz.writeUint8(samples, "arr_0", new byte[2 * 28 * 28], 2, 28, 28, 1);
    CommandRun run = CommandRun.of("eval", "--samples", samples.toString(), "--dataset", "mnist",
        "--data", root.toString());
    assertEquals(1, run.exitCode(), run.err());
    assertTrue(run.err().contains(root.resolve("mnist").toString()) && run.err().contains("scripts/fetch-mnist.sh"),
        run.err());
  }

  @Test
  void helpListsTheRegistrysChoicesAndTheDataRoot() {
    String train = CommandRun.of("train", "--help").out().replaceAll("\\s+", " ");
    assertTrue(train.contains("digits, mnist, fashion-mnist, folder:<path>"), train);
    assertTrue(train.contains("Data root: each downloaded data set is in DIR/<dataset>/")
        && train.contains("(default: data)"), train);
    String eval = CommandRun.of("eval", "--help").out().replaceAll("\\s+", " ");
    assertTrue(eval.contains("mnist, fashion-mnist (default: mnist)"), eval);
    assertTrue(eval.contains("Data root"), eval);
  }
}
