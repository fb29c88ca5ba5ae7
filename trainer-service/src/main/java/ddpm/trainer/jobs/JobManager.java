package ddpm.trainer.jobs;

import ddpm.diffusion.Echo;
import ddpm.repository.Folders;
import ddpm.trainer.core.Trainer;
import ddpm.trainer.core.TrainingSpec;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Queues training jobs and runs them one at a time on a single thread: training uses every core, so two
 * at once would only halve each. Keeps the newest {@link #RETAINED_JOBS} jobs for GetJob and WatchJob.
 */
public final class JobManager implements AutoCloseable {
  public static final int MAX_QUEUED = 64;
  public static final int RETAINED_JOBS = 256;
  /** Step events kept per job for replay; see {@link EventLog}. */
  public static final int MAX_STEP_EVENTS = 10_000;
  private static final Logger log = Logger.getLogger(JobManager.class.getName());

  private final Trainer trainer;
  private final ThreadPoolExecutor executor;
  private final Map<String, Job> jobs = new LinkedHashMap<>();

  public JobManager(Trainer trainer) {
    this.trainer = trainer;
    this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_QUEUED), r -> {
      Thread thread = new Thread(r, "trainer-jobs");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Queues a job and returns at once. IllegalArgumentException when the spec does not fit the data,
   * IllegalStateException when it cannot run here, RejectedExecutionException when its estimated memory is above
   * the trainer's budget or {@link #MAX_QUEUED} jobs already wait.
   */
  public JobStatus submit(TrainingSpec spec) {
    Job job = new Job(UUID.randomUUID().toString(), trainer.prepare(spec), MAX_STEP_EVENTS);
    synchronized (jobs) {
      jobs.put(job.id(), job);
      forgetOldJobs();
    }
    try {
      executor.execute(() -> run(job));
    } catch (RejectedExecutionException e) {
      synchronized (jobs) {
        jobs.remove(job.id());
      }
      throw new RejectedExecutionException("job queue is full (" + MAX_QUEUED + " jobs waiting)", e);
    }
    return job.status();
  }

  public JobStatus get(String id) {
    return job(id).status();
  }

  public JobStatus cancel(String id) {
    return job(id).cancel();
  }

  /**
   * Replays the job's events to {@code watcher}, then passes on live ones until {@link JobEvent.Finished}.
   * The watcher runs under the job's lock, on the calling or the training thread: it must not block.
   * Returns what stops the watching early.
   */
  public Runnable watch(String id, Consumer<JobEvent> watcher) {
    Job job = job(id);
    job.watch(watcher);
    return () -> job.unwatch(watcher);
  }

  /** Cancels every job, then waits for the running one to stop. */
  @Override
  public void close() {
    synchronized (jobs) {
      jobs.values().forEach(Job::cancel);
    }
    executor.shutdown();
    try {
      if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
        log.warning("the running training job did not stop within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Job job(String id) {
    synchronized (jobs) {
      Job job = jobs.get(id);
      if (job == null) {
        throw new NoSuchElementException("job_id: no job " + Echo.quoted(id));
      }
      return job;
    }
  }

  private void run(Job job) {
    if (!job.start()) {
      return;
    }
    try {
      trainer.train(job.id(), job.spec(), job, job::cancelRequested);
      job.finish(JobState.SUCCEEDED, "");
    } catch (CancellationException e) {
      job.finish(JobState.CANCELLED, "");
    } catch (Exception | Error e) {
      String failure = failure(job.id(), e);
      if (isRefusal(e)) {
        log.warning("training job " + job.id() + " failed: " + failure);
      } else {
        log.log(Level.WARNING, "training job " + job.id() + " failed", e);
      }
      job.finish(JobState.FAILED, failure);
    }
  }

  /**
   * The core's own refusals (a bad request, data or schedule, a peer that gave no answer), whose message says it
   * all: logged in one line, as the servers log refused calls; a stack trace is for a real fault.
   */
  private static boolean isRefusal(Throwable e) {
    return (e instanceof IllegalArgumentException || e instanceof IllegalStateException) && e.getMessage() != null;
  }

  /**
   * Why a job failed, as GetJob and WatchJob tell anyone who asks: the message of the core's own refusals, which
   * name the field or the file as the client knows it; for anything else, only what kind of failure it was, since
   * its message may name the server's files or classes. The log has it all.
   */
  private static String failure(String jobId, Throwable e) {
    if (isRefusal(e)) {
      return e.getMessage();
    }
    String why = e instanceof IOException io
        ? "training failed reading or writing a file: " + Folders.problem(io)
        : "training failed on an internal fault";
    return why + "; the trainer's log has the details of job " + jobId;
  }

  private void forgetOldJobs() {
    Iterator<Job> oldestFirst = jobs.values().iterator();
    while (jobs.size() > RETAINED_JOBS && oldestFirst.hasNext()) {
      if (oldestFirst.next().status().state().ended()) {
        oldestFirst.remove();
      }
    }
  }
}
