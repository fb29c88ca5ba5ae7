package ddpm.trainer.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.trainer.core.CheckpointReport;
import ddpm.trainer.core.StepReport;
import ddpm.trainer.core.Trainer;
import ddpm.trainer.core.TrainingListener;
import ddpm.trainer.core.TrainingSpec;
import ddpm.trainer.graph.EpsNetConfig;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobManagerTest {
  /** Steps until cancelled when the spec asks for 1,000,000 steps; otherwise runs them, checkpoints and exports. */
  private static final class FakeTrainer implements Trainer {
    @Override
    public TrainingSpec prepare(TrainingSpec spec) {
      if (spec.dataset().equals("mnist")) {
        throw new IllegalStateException("dataset: MNIST is not downloaded");
      }
      return spec;
    }

    @Override
    public void train(String jobId, TrainingSpec spec, TrainingListener listener, BooleanSupplier cancelled)
        throws IOException {
      switch (spec.modelName()) {
        case "broken" -> throw new IllegalStateException("the scheduler is unreachable");
        case "full-disk" -> throw new FileSystemException("/srv/trainer/work/full-disk/ckpt-5", null,
            "No space left on device");
        case "buggy" -> throw new NullPointerException("Cannot invoke \"ddpm.trainer.core.Foo.bar()\"");
        default -> { }
      }
      for (int step = 1; step <= spec.steps(); step++) {
        if (cancelled.getAsBoolean()) {
          throw new CancellationException();
        }
        listener.onStep(new StepReport(step, spec.steps(), 1.0 / step, 100, 1, spec.learningRate()));
      }
      listener.onCheckpoint(new CheckpointReport(spec.steps(), Path.of("ckpt-" + spec.steps()),
          Path.of("loss-curve.png"), Path.of("samples-" + spec.steps() + ".png")));
      listener.onExport(spec.modelName(), 1, Path.of(spec.modelName(), "1"));
    }
  }

  private final JobManager jobs = new JobManager(new FakeTrainer());

  @AfterEach
  void close() {
    jobs.close();
  }

  private static TrainingSpec spec(String model, int steps) {
    return new TrainingSpec("digits", model, EpsNetConfig.defaults(), steps, 8, 1e-3, 1, ScheduleKind.LINEAR, 0, 0,
        0, 0, 0, false, "", 0);
  }

  /** Collects a job's events until it finishes. */
  private static final class Watcher {
    final List<JobEvent> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<JobStatus> finished = new CompletableFuture<>();
    final CompletableFuture<Void> firstStep = new CompletableFuture<>();

    void accept(JobEvent e) {
      events.add(e);
      if (e instanceof JobEvent.Step) {
        firstStep.complete(null);
      } else if (e instanceof JobEvent.Finished f) {
        finished.complete(f.status());
      }
    }

    JobStatus awaitEnd() throws Exception {
      return finished.get(30, TimeUnit.SECONDS);
    }
  }

  private Watcher watch(String id) {
    Watcher w = new Watcher();
    jobs.watch(id, w::accept);
    return w;
  }

  @Test
  void aLateWatcherReplaysTheSameEvents() throws Exception {
    String id = jobs.submit(spec("m", 5)).id();
    Watcher live = watch(id);
    JobStatus end = live.awaitEnd();
    assertEquals(JobState.SUCCEEDED, end.state());
    assertEquals(1, end.exportedVersion());
    assertEquals(5, end.step());
    assertEquals(8, live.events.size(), "5 steps, a checkpoint, an export, finished: " + live.events);

    Watcher late = watch(id);
    assertTrue(late.finished.isDone());
    assertEquals(live.events, late.events);
    assertEquals(JobState.SUCCEEDED, jobs.get(id).state());
  }

  @Test
  void cancellingAQueuedJobEndsItAtOnceAndARunningOneBeforeItsNextStep() throws Exception {
    String running = jobs.submit(spec("long", 1_000_000)).id();
    Watcher first = watch(running);
    String queued = jobs.submit(spec("queued", 5)).id();
    first.firstStep.get(30, TimeUnit.SECONDS);

    assertEquals(JobState.QUEUED, jobs.get(queued).state());
    assertEquals(JobState.CANCELLED, jobs.cancel(queued).state());
    assertEquals(JobState.CANCELLED, watch(queued).finished.getNow(null).state());

    jobs.cancel(running);
    JobStatus end = first.awaitEnd();
    assertEquals(JobState.CANCELLED, end.state());
    assertEquals(0, end.exportedVersion());
    assertTrue(first.events.stream().noneMatch(e -> e instanceof JobEvent.Export));
    assertEquals(JobState.CANCELLED, jobs.cancel(running).state(), "cancelling an ended job changes nothing");
  }

  @Test
  void aFailingJobEndsFailedWithItsReason() throws Exception {
    String id = jobs.submit(spec("broken", 5)).id();
    JobStatus end = watch(id).awaitEnd();
    assertEquals(JobState.FAILED, end.state());
    assertTrue(end.error().contains("unreachable"), end.error());
  }

  /** Anyone may read a job's error: a fault's own message, which may name the server's files or classes, is not in it. */
  @Test
  void aJobThatFailsOnAFaultSaysWhatKindOfFaultAndNoMore() throws Exception {
    String fullDisk = jobs.submit(spec("full-disk", 5)).id();
    assertEquals("training failed reading or writing a file: No space left on device; the trainer's log has the "
        + "details of job " + fullDisk, watch(fullDisk).awaitEnd().error());
    String buggy = jobs.submit(spec("buggy", 5)).id();
    assertEquals("training failed on an internal fault; the trainer's log has the details of job " + buggy,
        watch(buggy).awaitEnd().error());
  }

  @Test
  void unknownJobsAndUnreadyDataAreRefused() {
    assertThrows(NoSuchElementException.class, () -> jobs.get("nope"));
    assertThrows(NoSuchElementException.class, () -> jobs.cancel("nope"));
    assertThrows(NoSuchElementException.class, () -> jobs.watch("nope", e -> {}));
    TrainingSpec mnist = new TrainingSpec("mnist", "m", null, 1, 1, 1e-3, 1, ScheduleKind.COSINE, 0, 0, 0, 0, 0, false, "", 0);
    assertThrows(IllegalStateException.class, () -> jobs.submit(mnist));
  }
}
