package ddpm.trainer.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.trainer.core.CheckpointReport;
import ddpm.trainer.core.StepReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogTest {
  @Test
  void thinsStepsButKeepsEveryOtherEventAndFeedsLiveWatchersEverything() {
    EventLog log = new EventLog(8);
    List<JobEvent> live = new ArrayList<>();
    log.subscribe(live::add);
    for (int step = 1; step <= 100; step++) {
      log.append(step(step, 100, 1.0 / step, 10));
      if (step % 25 == 0) {
        log.append(new JobEvent.Checkpoint(
            new CheckpointReport(step, Path.of("ckpt-" + step), Path.of("loss.png"), Path.of("grid.png"))));
      }
    }
    assertEquals(104, live.size());

    List<JobEvent> replay = new ArrayList<>();
    log.subscribe(replay::add);
    List<Integer> steps = replay.stream().filter(e -> e instanceof JobEvent.Step)
        .map(e -> ((JobEvent.Step) e).report().step()).toList();
    assertTrue(steps.size() <= 8 && steps.size() >= 4, "kept steps " + steps);
    int stride = steps.get(1) - steps.get(0);
    for (int i = 0; i < steps.size(); i++) {
      assertEquals(stride * (i + 1), steps.get(i), "evenly spaced: " + steps);
    }
    assertEquals(4, replay.stream().filter(e -> e instanceof JobEvent.Checkpoint).count());
  }

  @Test
  void aWatcherOfAFinishedLogOnlyReplays() {
    EventLog log = new EventLog(8);
    log.append(step(1, 1, 0.5, 1));
    log.append(new JobEvent.Finished(null));
    List<JobEvent> replay = new ArrayList<>();
    log.subscribe(replay::add);
    log.append(step(2, 1, 0.5, 1));
    assertEquals(2, replay.size());
  }

  @Test
  void aFailingWatcherIsDroppedWithoutFailingTheAppender() {
    EventLog log = new EventLog(8);
    List<JobEvent> healthy = new ArrayList<>();
    log.subscribe(e -> {
      throw new IllegalStateException("client went away");
    });
    log.subscribe(healthy::add);
    log.append(step(1, 2, 0.5, 1));
    log.append(step(2, 2, 0.4, 1));
    assertEquals(2, healthy.size());
  }

  private static JobEvent.Step step(int step, int totalSteps, double loss, double imagesPerSecond) {
    return new JobEvent.Step(new StepReport(step, totalSteps, loss, imagesPerSecond, 1, 1e-3));
  }
}
