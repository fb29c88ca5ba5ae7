package ddpm.sampler.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.testing.Latches;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SamplingThreadsTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private SamplingThreads threads;

  @AfterEach
  void stop() {
    release.countDown();
    threads.shutdownNow();
  }

  /** Two requests run and hold their threads; three wait; the sixth is refused at once, saying what is full. */
  @Test
  void runningAndQueuedRequestsAreBoundedAndTheNextIsRefusedAtOnce() {
    threads = new SamplingThreads(2, 3);
    CountDownLatch running = new CountDownLatch(2);
    for (int i = 0; i < 2; i++) {
      threads.execute(held("running " + i, running));
    }
    Latches.await(running);
    CountDownLatch done = new CountDownLatch(3);
    for (int i = 0; i < 3; i++) {
      threads.execute(recorded("queued " + i, done));
    }
    assertEquals(3, threads.queued());

    RejectedExecutionException full =
        assertThrows(RejectedExecutionException.class, () -> threads.execute(recorded("refused", done)));
    assertEquals("the sampler is full: 2 requests sampling and 3 waiting, the most it takes; retry with backoff,"
        + " or on another sampler replica", full.getMessage());

    release.countDown();
    Latches.await(done);
    assertTrue(ran.containsAll(List.of("queued 0", "queued 1", "queued 2")), ran::toString);
    assertFalse(ran.contains("refused"));
  }

  /** One thread: what waited runs in arrival order, without the request withdrawn from the queue. */
  @Test
  void aWithdrawnRequestLeavesTheQueueNeverRunsAndFreesItsPlace() {
    threads = new SamplingThreads(1, 2);
    CountDownLatch running = new CountDownLatch(1);
    threads.execute(held("running", running));
    Latches.await(running);
    CountDownLatch done = new CountDownLatch(2);
    Runnable first = recorded("first", done);
    threads.execute(first);
    threads.execute(recorded("second", done));

    assertTrue(threads.withdraw(first));
    assertEquals(1, threads.queued());
    threads.execute(recorded("third", done));
    assertEquals(2, threads.queued());

    release.countDown();
    Latches.await(done);
    assertEquals(List.of("running", "second", "third"), ran);
    assertFalse(threads.withdraw(first), "a request withdrawn once is no longer queued");
  }

  @Test
  void withoutAQueueABusySamplerRefusesTheNextRequest() {
    threads = new SamplingThreads(1, 0);
    CountDownLatch running = new CountDownLatch(1);
    threads.execute(held("running", running));
    Latches.await(running);

    assertThrows(RejectedExecutionException.class, () -> threads.execute(recorded("refused", new CountDownLatch(1))));
    assertEquals(0, threads.queued());
  }

  /** Counts down {@code started}, then holds its thread until the test releases it. */
  private Runnable held(String name, CountDownLatch started) {
    return () -> {
      started.countDown();
      Latches.await(release);
      ran.add(name);
    };
  }

  private Runnable recorded(String name, CountDownLatch done) {
    return () -> {
      ran.add(name);
      done.countDown();
    };
  }
}
