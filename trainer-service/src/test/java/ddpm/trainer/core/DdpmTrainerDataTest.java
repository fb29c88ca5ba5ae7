package ddpm.trainer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.datasets.Datasets;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.repository.ModelRepository;
import ddpm.trainer.checkpoint.CheckpointStore;
import ddpm.trainer.graph.FakeTrainingSession;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a job's data set costs when it is submitted: the headers of its files, never its pixels. */
class DdpmTrainerDataTest {
  @TempDir Path dir;

  private DdpmTrainer trainer() {
    return new DdpmTrainer(new Datasets(dir.resolve("data")),
        (kind, timesteps, steps, spacing) -> NoiseSchedule.of(kind, timesteps).respace(steps, spacing),
        new ModelRepository(dir.resolve("models")), new CheckpointStore(dir.resolve("work")), FakeTrainingSession::new,
        new MemoryBudget(1L << 30));
  }

  private static TrainingSpec fashionMnist() {
    return new TrainingSpec("fashion-mnist", "f", null, 1, 1, 1e-3, 0, ScheduleKind.LINEAR, 10, 0, 0, 0, 0, false,
        "", 0);
  }

  /**
   * Files that are headers and nothing else: the image shape, learned from them, resolves the default U-Net's
   * attention to the 7×7 level; the missing pixels show only when training starts.
   */
  @Test
  void prepareLearnsTheShapeFromTheHeadersAloneAndTrainingReadsThePixels() throws IOException {
    Path fashion = Files.createDirectories(dir.resolve("data").resolve("fashion-mnist"));
    writeGzippedHeader(fashion.resolve("train-images-idx3-ubyte.gz"), 0x0803, 60_000, 28, 28);
    writeGzippedHeader(fashion.resolve("train-labels-idx1-ubyte.gz"), 0x0801, 60_000);
    DdpmTrainer trainer = trainer();

    TrainingSpec prepared = trainer.prepare(fashionMnist());

    assertEquals(List.of(7), prepared.network().attentionResolutions());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> trainer.train("job", prepared, null, () -> false));
    assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz") && e.getMessage().contains("truncated"),
        e.getMessage());
  }

  @Test
  void aMissingDownloadIsRefusedAtSubmitNamingTheFileAndTheScript() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> trainer().prepare(fashionMnist()));
    assertTrue(e.getMessage().contains("<data root>/fashion-mnist/train-images-idx3-ubyte")
        && e.getMessage().contains("scripts/fetch-fashion-mnist.sh"), e.getMessage());
    assertFalse(e.getMessage().contains(dir.toString()), "the server's path: " + e.getMessage());
  }

  @Test
  void anEmptyFolderUnderTheDataRootIsRefusedAtSubmit() throws IOException {
    Files.createDirectories(dir.resolve("data").resolve("sprites"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer().prepare(folder("sprites")));
    assertEquals("dataset: folder:sprites is empty", e.getMessage());
  }

  /** A client names folders under the trainer's data root only: it cannot make the trainer read, or probe, others. */
  @Test
  void aFolderOutsideTheDataRootIsRefusedAtSubmit() {
    for (String path : List.of(dir.toString(), "../models", "sprites/../..")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer().prepare(folder(path)));
      assertTrue(e.getMessage().startsWith("dataset: folder: "), e.getMessage());
    }
  }

  private static TrainingSpec folder(String path) {
    return new TrainingSpec("folder:" + path, "f", null, 1, 1, 1e-3, 0, ScheduleKind.LINEAR, 10, 0, 0, 0, 0, false,
        "", 0);
  }

  private static void writeGzippedHeader(Path file, int magic, int... dims) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(magic);
      for (int d : dims) {
        out.writeInt(d);
      }
    }
  }
}
