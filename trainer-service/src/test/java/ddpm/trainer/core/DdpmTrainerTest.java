package ddpm.trainer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ddpm.datasets.Datasets;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.diffusion.training.LossWeighting;
import ddpm.repository.EpsContract;
import ddpm.repository.ModelRepository;
import ddpm.trainer.PngFolders;
import ddpm.trainer.checkpoint.Checkpoint;
import ddpm.trainer.checkpoint.CheckpointStore;
import ddpm.trainer.graph.Architecture;
import ddpm.trainer.graph.EpsNetConfig;
import ddpm.trainer.graph.FakeTrainingSession;
import ddpm.trainer.graph.TrainingSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints, previews, resuming and starting from a published version, over the 8×8 digits, with a pure-Java
 * stand-in for the network ({@link FakeTrainingSession}): what is tested here surrounds the network. The
 * TensorFlow graph's own exactness under save and restore is TrainingGraphTest's.
 */
class DdpmTrainerTest {
  /** Few timesteps, so each preview (one network call per timestep) is quick. */
  private static final int T = 20;
  private static final EpsNetConfig TINY = new EpsNetConfig(Architecture.UNET, 8, List.of(1, 2), 1, List.of(), 0.1);

  @TempDir Path dir;

  private static TrainingSpec spec(String model, int steps, int checkpointEvery, boolean resume) {
    return new TrainingSpec("digits", model, TINY, steps, 8, 1e-3, 42, ScheduleKind.LINEAR, T, checkpointEvery,
        0.9, 2, 0.5, resume, "", 0);
  }

  private DdpmTrainer trainer(Path root) {
    return new DdpmTrainer(new Datasets(root.resolve("data")),
        (kind, timesteps, steps, spacing) -> NoiseSchedule.of(kind, timesteps).respace(steps, spacing),
        new ModelRepository(root.resolve("models")), new CheckpointStore(root.resolve("work")),
        FakeTrainingSession::new, new MemoryBudget(1L << 30));
  }

  /** Prepares and trains as the job manager does; {@code cancelled} is checked before every step. */
  private static Recorder run(DdpmTrainer trainer, TrainingSpec request, BooleanSupplier cancelled) throws Exception {
    Recorder recorder = new Recorder();
    trainer.train("job", trainer.prepare(request), recorder, cancelled);
    return recorder;
  }

  private static class Recorder implements TrainingListener {
    final List<StepReport> steps = new ArrayList<>();
    final List<CheckpointReport> checkpoints = new ArrayList<>();
    Path exported;
    int resumedAfter;
    double resumedLoss;

    @Override
    public void onResume(int step, double loss) {
      resumedAfter = step;
      resumedLoss = loss;
    }

    @Override
    public void onStep(StepReport step) {
      steps.add(step);
    }

    @Override
    public void onCheckpoint(CheckpointReport checkpoint) {
      checkpoints.add(checkpoint);
    }

    @Override
    public void onExport(String model, long version, Path path) {
      exported = path;
    }
  }

  /** A request for {@code model}: steps, checkpoint_every, resume. */
  private interface Request {
    TrainingSpec of(String model, int steps, int checkpointEvery, boolean resume);
  }

  /**
   * Run A trains 6 steps straight. Run B is stopped after step 4 (the job is cancelled, as a kill would stop
   * it, losing step 4), then resumed from its step-3 checkpoint to 6. Every variable (weights, averages,
   * optimizer state) and every loss must be equal, bit for bit: the resumed run restores them all and the loss
   * history, and continues at step 4 with the draws and learning rate of step 4.
   */
  @Test
  void resumingAfterAnInterruptionEqualsAnUninterruptedRun() throws Exception {
    assertResumingEqualsAnUninterruptedRun(DdpmTrainerTest::spec);
  }

  /** As above with labels, half of them dropped: the fake's steps depend on each label drawn. */
  @Test
  void resumingAClassConditionalRunEqualsAnUninterruptedOne() throws Exception {
    assertResumingEqualsAnUninterruptedRun(DdpmTrainerTest::classConditional);
  }

  private void assertResumingEqualsAnUninterruptedRun(Request request) throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Recorder straight = run(trainer(a), request.of("m", 6, 3, false), () -> false);

    DdpmTrainer interrupted = trainer(b);
    AtomicBoolean stop = new AtomicBoolean();
    Recorder first = new Recorder() {
      @Override
      public void onStep(StepReport step) {
        super.onStep(step);
        stop.set(step.step() == 4);
      }
    };
    assertThrows(CancellationException.class,
        () -> interrupted.train("job", interrupted.prepare(request.of("m", 6, 3, false)), first, stop::get));
    assertEquals(3, new CheckpointStore(b.resolve("work")).latest("m").orElseThrow().step());

    Recorder resumed = run(interrupted, request.of("m", 6, 3, true), () -> false);
    assertEquals(List.of(4, 5, 6), resumed.steps.stream().map(StepReport::step).toList(), "continues after step 3");
    assertEquals(3, resumed.resumedAfter);
    assertEquals(straight.steps.get(2).loss(), resumed.resumedLoss, "the checkpoint's last loss");
    assertNotNull(resumed.exported);

    for (int i = 0; i < 3; i++) {
      assertEquals(straight.steps.get(3 + i).loss(), resumed.steps.get(i).loss(), "loss of step " + (4 + i));
    }
    assertArrayEquals(finalVariables(a), finalVariables(b), "every variable after step 6");
    Checkpoint last = new CheckpointStore(b.resolve("work")).latest("m").orElseThrow();
    assertEquals(6, last.losses().size(), "the loss history spans both jobs");
  }

  /** The saved variables of the step-6 checkpoint of model "m" under {@code root}. */
  private static byte[] finalVariables(Path root) throws IOException {
    Checkpoint checkpoint = new CheckpointStore(root.resolve("work")).latest("m").orElseThrow();
    assertEquals(6, checkpoint.step());
    return Files.readAllBytes(FakeTrainingSession.variablesFile(checkpoint.variables()));
  }

  /**
   * A checkpoint of a run started from a published version, its run.json spelled out as this release writes
   * it: a later trainer must still resume it.
   */
  @Test
  void aCheckpointWithTheRunJsonOfThisReleaseResumes() throws Exception {
    DdpmTrainer trainer = trainer(dir);
    run(trainer, spec("base", 1, 0, false), () -> false);
    Path checkpoint = new CheckpointStore(dir.resolve("work")).modelDir("m").resolve("ckpt-3");
    Files.createDirectories(checkpoint);
    Files.writeString(checkpoint.resolve(CheckpointStore.RUN_FILE), """
        {
          "step": 3,
          "spec": {
            "dataset": "digits",
            "model_name": "m",
            "network": {
              "architecture": "unet",
              "base_channels": 8,
              "channel_mult": [1, 2],
              "num_res_blocks": 1,
              "attention_resolutions": [4],
              "dropout": 0.1
            },
            "steps": 3,
            "batch_size": 8,
            "learning_rate": 0.001,
            "seed": 42,
            "schedule": "linear",
            "timesteps": 20,
            "checkpoint_every": 0,
            "ema_decay": 0.9,
            "warmup_steps": 2,
            "grad_clip_norm": 0.5,
            "init_from": "base:1"
          }
        }
        """);
    ByteBuffer losses = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(0.9f).putFloat(0.8f);
    Files.write(checkpoint.resolve(CheckpointStore.LOSSES_FILE), losses.array());
    ImageShape digits = new ImageShape(8, 8, 1);
    new FakeTrainingSession(digits, TINY.forImage(digits), NoiseSchedule.of(ScheduleKind.LINEAR, T),
        new TrainingSession.Optimization(LossWeighting.UNIFORM, 0.5, 0.9), 42)
        .saveVariables(checkpoint.resolve(CheckpointStore.VARIABLES));

    TrainingSpec request = new TrainingSpec("digits", "m", TINY, 5, 8, 1e-3, 42, ScheduleKind.LINEAR, T, 0,
        0.9, 2, 0.5, true, "base", 0);
    Recorder resumed = run(trainer, request, () -> false);
    assertEquals(List.of(4, 5), resumed.steps.stream().map(StepReport::step).toList());
    assertEquals(0.8f, resumed.resumedLoss);
  }

  @Test
  void checkpointsKeepTheNewestThreeWithALossCurveAndASampleGridBesideThem() throws Exception {
    Recorder recorder = run(trainer(dir), spec("m", 4, 1, false), () -> false);

    CheckpointStore store = new CheckpointStore(dir.resolve("work"));
    assertEquals(List.of(2, 3, 4), store.list("m").stream().map(Checkpoint::step).toList());
    assertEquals(4, recorder.checkpoints.size());
    CheckpointReport last = recorder.checkpoints.get(3);
    assertEquals(new CheckpointReport(4, Path.of("m", "ckpt-4"), Path.of("m", "loss-curve.png"),
        Path.of("m", "samples-4.png")), last, "reported relative to the work folder");
    Path work = dir.resolve("work");
    for (String file : List.of(CheckpointStore.VARIABLES + FakeTrainingSession.VARIABLES_SUFFIX, "run.json",
        "losses.f32")) {
      assertTrue(Files.exists(work.resolve(last.path()).resolve(file)), file);
    }
    assertEquals(4, store.latest("m").orElseThrow().run().get("step").getAsInt());
    BufferedImage curve = ImageIO.read(work.resolve(last.lossCurve()).toFile());
    assertNotNull(curve, "the loss curve is a PNG");
    BufferedImage grid = ImageIO.read(work.resolve(last.sampleGrid()).toFile());
    assertNotNull(grid, "the sample grid is a PNG");
    // 16 images of 8×8, each drawn 4× larger, in a 4×4 grid with 2-pixel borders.
    assertEquals(4 * (32 + 2) + 2, grid.getWidth());
    for (int step = 1; step <= 4; step++) {
      assertTrue(Files.exists(store.modelDir("m").resolve("samples-" + step + ".png")), "grid of step " + step);
    }
    try (var entries = Files.list(store.modelDir("m"))) {
      assertFalse(entries.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no partial files are left");
    }
  }

  @Test
  void resumingWithoutACheckpointIsRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> trainer(dir).prepare(spec("never-trained", 4, 2, true)));
    assertTrue(e.getMessage().startsWith("resume: model \"never-trained\" has no checkpoint"), e.getMessage());
  }

  @Test
  void resumingWithAnotherConfigurationOrFewerStepsIsRefusedAndAFreshRunSetsTheOldCheckpointsAside() throws Exception {
    DdpmTrainer trainer = trainer(dir);
    run(trainer, spec("m", 2, 0, false), () -> false);

    TrainingSpec otherBatch = new TrainingSpec("digits", "m", TINY, 4, 16, 1e-3, 42, ScheduleKind.LINEAR, T, 0,
        0.9, 2, 0.5, true, "", 0);
    IllegalStateException batch = assertThrows(IllegalStateException.class, () -> trainer.prepare(otherBatch));
    assertTrue(batch.getMessage().contains("batch_size: 8 in the checkpoint, 16 in the request"), batch.getMessage());

    TrainingSpec otherNetwork = spec("m", 4, 0, true).withNetwork(
        new EpsNetConfig(Architecture.UNET, 8, List.of(1, 2), 1, List.of(), 0.2));
    IllegalStateException dropout = assertThrows(IllegalStateException.class, () -> trainer.prepare(otherNetwork));
    assertTrue(dropout.getMessage().contains("network.dropout"), dropout.getMessage());

    IllegalStateException fewer = assertThrows(IllegalStateException.class,
        () -> trainer.prepare(spec("m", 1, 0, true)));
    assertTrue(fewer.getMessage().startsWith("steps:"), fewer.getMessage());

    run(trainer, spec("m", 1, 0, false), () -> false);
    CheckpointStore store = new CheckpointStore(dir.resolve("work"));
    assertEquals(List.of(1), store.list("m").stream().map(Checkpoint::step).toList());
    assertTrue(Files.isDirectory(dir.resolve("work").resolve("m" + CheckpointStore.SET_ASIDE_SUFFIX).resolve("ckpt-2")),
        "the earlier run's checkpoints are set aside, not deleted");
  }

  /**
   * A run started from a published version begins at its weights: at a learning rate too small to move
   * them, what it publishes after one step is what it started from, whatever its own seed would have drawn.
   */
  @Test
  void aRunStartedFromAPublishedVersionBeginsAtItsWeightsAndRecordsTheResolvedVersion() throws Exception {
    DdpmTrainer trainer = trainer(dir);
    run(trainer, spec("base", 3, 0, false), () -> false);
    run(trainer, spec("base", 2, 0, false), () -> false);

    TrainingSpec request = new TrainingSpec("digits", "tuned", TINY, 1, 8, 1e-12, 7, ScheduleKind.LINEAR, T, 0,
        0.9, 0, 0.5, false, "base", 0);
    TrainingSpec prepared = trainer.prepare(request);
    assertEquals(2, prepared.initFromVersion(), "version 0 resolves to the highest");
    Recorder tuned = run(trainer, request, () -> false);

    ModelRepository models = new ModelRepository(dir.resolve("models"));
    assertEquals("base:2",
        models.card("tuned", 1).details().getAsJsonObject("training").get("init_from").getAsString());
    assertEquals(Path.of("tuned", "1"), tuned.exported, "relative to the repository");
    assertArrayEquals(FakeTrainingSession.exported(models.versionDir("base", 2)),
        FakeTrainingSession.exported(models.root().resolve(tuned.exported)), 1e-6f);
  }

  @Test
  void startingFromAMissingVersionOrAnotherNetworkIsRefusedNamingTheField() throws Exception {
    DdpmTrainer trainer = trainer(dir);
    run(trainer, spec("base", 1, 0, false), () -> false);

    NoSuchElementException noModel = assertThrows(NoSuchElementException.class,
        () -> trainer.prepare(startingFrom("nothing", 0, "m", 1, TINY)));
    assertTrue(noModel.getMessage().startsWith("init_from_model: no model \"nothing\""), noModel.getMessage());
    NoSuchElementException noVersion = assertThrows(NoSuchElementException.class,
        () -> trainer.prepare(startingFrom("base", 5, "m", 1, TINY)));
    assertTrue(noVersion.getMessage().startsWith("init_from_version: model \"base\" has no version 5"),
        noVersion.getMessage());
    IllegalStateException wider = assertThrows(IllegalStateException.class, () -> trainer.prepare(
        startingFrom("base", 1, "m", 1, new EpsNetConfig(Architecture.UNET, 16, List.of(1, 2), 1, List.of(), 0.1))));
    assertTrue(wider.getMessage().contains("base_channels: 8 in base:1, 16 in the request"), wider.getMessage());

    TrainingSpec otherDropout = startingFrom("base", 1, "m", 1, new EpsNetConfig(Architecture.UNET, 8, List.of(1, 2), 1,
        List.of(), 0.3));
    assertEquals(1, trainer.prepare(otherDropout).initFromVersion(), "dropout shapes no weight");
  }

  /** {@link #spec} without checkpoints, starting from version {@code version} of {@code base}. */
  private static TrainingSpec startingFrom(String base, long version, String model, int steps, EpsNetConfig network) {
    return new TrainingSpec("digits", model, network, steps, 8, 1e-3, 42, ScheduleKind.LINEAR, T, 0,
        0.9, 2, 0.5, false, base, version);
  }

  /** {@link #spec} of a class-conditional run on the digits, half of whose labels are dropped. */
  private static TrainingSpec classConditional(String model, int steps, int checkpointEvery, boolean resume) {
    return classConditional("digits", model, steps, checkpointEvery, resume, "");
  }

  private static TrainingSpec classConditional(String dataset, String model, int steps, int checkpointEvery,
      boolean resume, String initFrom) {
    return new TrainingSpec(dataset, model, TINY, steps, 8, 1e-3, 42, ScheduleKind.LINEAR, T, checkpointEvery,
        0.9, 2, 0.5, resume, initFrom, 0, true, 0.5, 0, null);
  }

  @Test
  void aClassConditionalModelDeclaresItsClassesAndNullLabel() throws Exception {
    run(trainer(dir), classConditional("m", 1, 0, false), () -> false);
    JsonObject card = JsonParser.parseString(Files.readString(
        new ModelRepository(dir.resolve("models")).versionDir("m", 1).resolve("model.json"))).getAsJsonObject();
    assertEquals(10, card.get(EpsContract.NUM_CLASSES).getAsInt());
    assertEquals(10, card.get(EpsContract.NULL_LABEL).getAsInt());
    JsonObject training = card.getAsJsonObject("training");
    assertEquals(true, training.get("class_cond").getAsBoolean());
    assertEquals(0.5, training.get("label_dropout").getAsDouble());
  }

  /**
   * P2 weighting reaches the network's steps (the fake, like the graph, scales each image's squared error by its
   * timestep's weight), so the same draws give other losses than L_simple's, and model.json records it.
   */
  @Test
  void aP2RunsStepsSeeTheWeightedLossAndModelJsonRecordsIt() throws Exception {
    Recorder simple = run(trainer(dir.resolve("simple")), spec("m", 3, 0, false), () -> false);
    TrainingSpec p2 = new TrainingSpec("digits", "m", TINY, 3, 8, 1e-3, 42, ScheduleKind.LINEAR, T, 0,
        0.9, 2, 0.5, false, "", 0, false, null, 1, 2.0);
    Recorder weighted = run(trainer(dir.resolve("p2")), p2, () -> false);
    assertNotEquals(simple.steps.get(0).loss(), weighted.steps.get(0).loss());
    JsonObject training = new ModelRepository(dir.resolve("p2").resolve("models")).card("m", 1).details()
        .getAsJsonObject("training");
    assertEquals(1.0, training.get("p2_gamma").getAsDouble());
    assertEquals(2.0, training.get("p2_k").getAsDouble());
    assertFalse(new ModelRepository(dir.resolve("simple").resolve("models")).card("m", 1).details()
        .getAsJsonObject("training").has("p2_gamma"));
  }

  /** A folder with one subfolder per class trains a class-conditional network of that many classes. */
  @Test
  void aFolderOfClassFoldersTrainsWithItsClasses() throws Exception {
    PngFolders.write(dir.resolve("data").resolve("pairs"), "left/a.png", "left/b.png", "right/a.png");
    TrainingSpec prepared = trainer(dir).prepare(classConditional("folder:pairs", "pairs", 2, 0, false, ""));
    assertEquals(2, prepared.network().numClasses());
    run(trainer(dir), prepared, () -> false);
    assertEquals(2, new ModelRepository(dir.resolve("models")).card("pairs", 1).details()
        .get(EpsContract.NUM_CLASSES).getAsInt());
  }

  /**
   * A class-conditional run may start from an unconditional version (its class rows start at zero), but not from
   * one with other classes, and an unconditional run not from a class-conditional one: both name num_classes.
   */
  @Test
  void startingAcrossClassCountsIsRefusedNamingNumClasses() throws Exception {
    DdpmTrainer trainer = trainer(dir);
    run(trainer, spec("base", 1, 0, false), () -> false);
    Recorder fromUnconditional = run(trainer, classConditional("digits", "cond", 1, 0, false, "base"), () -> false);
    assertEquals(Path.of("cond", "1"), fromUnconditional.exported);

    PngFolders.write(dir.resolve("data").resolve("pairs"), "left/a.png", "right/a.png");
    run(trainer, classConditional("folder:pairs", "pairs", 1, 0, false, ""), () -> false);
    IllegalStateException otherClasses = assertThrows(IllegalStateException.class,
        () -> trainer.prepare(classConditional("digits", "m", 1, 0, false, "pairs")));
    assertTrue(otherClasses.getMessage().contains("num_classes: 2 in pairs:1, 10 in the request"),
        otherClasses.getMessage());
    IllegalStateException unconditional = assertThrows(IllegalStateException.class,
        () -> trainer.prepare(startingFrom("cond", 1, "m", 1, TINY)));
    assertTrue(unconditional.getMessage().contains("num_classes: 10 in cond:1"), unconditional.getMessage());
  }

  @Test
  void networkFieldsThatDoNotFitTheImagesAreInvalidArguments() {
    TrainingSpec fiveLevels = spec("m", 1, 0, false).withNetwork(
        new EpsNetConfig(Architecture.UNET, 8, List.of(1, 1, 1, 1, 1), 1, List.of(), 0.0));
    IllegalArgumentException levels = assertThrows(IllegalArgumentException.class, () -> trainer(dir).prepare(fiveLevels));
    assertTrue(levels.getMessage().startsWith("network.channel_mult"), levels.getMessage());

    TrainingSpec attentionAt3 = spec("m", 1, 0, false).withNetwork(
        new EpsNetConfig(Architecture.UNET, 8, List.of(1, 2), 1, List.of(3), 0.0));
    IllegalArgumentException attention = assertThrows(IllegalArgumentException.class,
        () -> trainer(dir).prepare(attentionAt3));
    assertTrue(attention.getMessage().startsWith("network.attention_resolutions"), attention.getMessage());
  }
}
