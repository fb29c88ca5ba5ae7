package ddpm.grpc.failover;

import ddpm.metrics.PeerCall;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.LoadBalancer.Subchannel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One idempotent call to a peer's replicas (a denoising step, model info, a schedule: every replica gives the
 * same answer), retried on the refusals that another replica, or the same one a little later, may not share:
 *
 * <ul>
 *   <li>UNAVAILABLE (a replica stopped, crashed or not yet back) and RESOURCE_EXHAUSTED (its queue is full)
 *       are passing: they are retried until the call's deadline;
 *   <li>NOT_FOUND and FAILED_PRECONDITION (a version this replica does not have, has unloaded or refused) are
 *       that replica's: they are retried on the other replicas, and the call fails once every replica has
 *       refused it in {@link #REPLICA_SPECIFIC_ROUNDS} rounds, so that a version no replica serves fails after one
 *       short wait;
 *   <li>anything else is the answer: INVALID_ARGUMENT would be repeated by every replica, DEADLINE_EXCEEDED
 *       and CANCELLED end the caller's wait, PERMISSION_DENIED and UNAUTHENTICATED are the caller's.
 * </ul>
 *
 * A refused attempt goes at once to a replica that has not refused this call ({@link FailoverLoadBalancer}
 * steps over the others). When every ready replica has refused, or none is ready, the round ends: the next
 * one starts after a {@link #BACKOFF} wait, with the channel told to reconnect at once, so that a replica that
 * comes back is found within one wait rather than after gRPC's reconnect backoff (up to 2 minutes).
 *
 * <p>Every attempt carries one deadline, set as the call starts: the caller's gRPC deadline (a sampling
 * request's) or {@code callTimeout}, whichever is sooner. A wait that would end past it is not begun: the
 * call fails with the last refusal, its message naming the peer and how long it was tried. A call made in a
 * request's context stops waiting when that request is cancelled.
 */
public final class Failover {
  /** 0.1 s, doubling, at most 1 s, ±20 %: a restarted replica is found within about a second. */
  public static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), 2, Duration.ofSeconds(1), 0.2);
  /**
   * Rounds of NOT_FOUND and FAILED_PRECONDITION before the call fails: a second round, after one short wait,
   * reaches a replica that was reconnecting (as every connection does every few minutes) during the first.
   */
  public static final int REPLICA_SPECIFIC_ROUNDS = 2;

  private static final Set<Code> PASSING = Set.of(Code.UNAVAILABLE, Code.RESOURCE_EXHAUSTED);
  private static final Set<Code> REPLICA_SPECIFIC = Set.of(Code.NOT_FOUND, Code.FAILED_PRECONDITION);

  private final String peer;
  private final Duration callTimeout;

  /** {@code peer} names the service in messages ("denoiser", "scheduler"). */
  public Failover(String peer, Duration callTimeout) {
    this.peer = peer;
    this.callTimeout = callTimeout;
  }

  /** Whether a call refused with {@code code} is tried again (on another replica, or after a wait). */
  public static boolean isRetried(Code code) {
    return PASSING.contains(code) || REPLICA_SPECIFIC.contains(code);
  }

  /**
   * Runs {@code rpc} on {@code stub}, once per attempt, and returns the first answer that is not retried. On a
   * channel with client metrics ({@link ddpm.grpc.Channels}) its attempts are recorded as one call, with its
   * retries and failovers, before the answer or the failure is returned.
   */
  public <S extends AbstractStub<S>, T> T call(S stub, Function<S, T> rpc) {
    PeerCall record = new PeerCall();
    try {
      T answer = attempts(stub.withOption(PeerCall.KEY, record), rpc, record);
      record.ended(Code.OK);
      return answer;
    } catch (RuntimeException e) {
      record.ended(Status.fromThrowable(e).getCode());
      throw e;
    }
  }

  private <S extends AbstractStub<S>, T> T attempts(S stub, Function<S, T> rpc, PeerCall record) {
    long start = System.nanoTime();
    Context context = Context.current();
    Deadline deadline = Deadline.after(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
    if (context.getDeadline() != null) {
      deadline = deadline.minimum(context.getDeadline());
    }
    Set<Subchannel> refusedBy = new HashSet<>();
    StatusRuntimeException last = null;
    boolean passingInRound = false;
    int attempts = 0;
    int rounds = 0;
    int replicaSpecificRounds = 0;
    while (true) {
      Attempt attempt = new Attempt(refusedBy);
      try {
        attempts++;
        T answer = rpc.apply(stub.withDeadline(deadline).withOption(Attempt.KEY, attempt));
        record.attempted(attempt.replica());
        return answer;
      } catch (StatusRuntimeException e) {
        if (!attempt.wasNoReplicaLeft()) {
          record.attempted(attempt.replica());
          Code code = e.getStatus().getCode();
          if (!isRetried(code)) {
            throw e;
          }
          last = e;
          passingInRound |= PASSING.contains(code);
          if (attempt.replica().isPresent()) {
            refusedBy.add(attempt.replica().get());
            continue;
          }
        }
      }
      rounds++;
      refusedBy.clear();
      if (!passingInRound && ++replicaSpecificRounds >= REPLICA_SPECIFIC_ROUNDS) {
        throw last;
      }
      passingInRound = false;
      Duration wait = BACKOFF.delay(rounds, ThreadLocalRandom.current()::nextDouble);
      if (deadline.timeRemaining(TimeUnit.NANOSECONDS) <= wait.toNanos()) {
        throw gaveUp(last, attempts, System.nanoTime() - start);
      }
      if (stub.getChannel() instanceof ManagedChannel channel) {
        channel.resetConnectBackoff();
      }
      await(wait, context);
    }
  }

  private StatusRuntimeException gaveUp(StatusRuntimeException last, int attempts, long nanos) {
    Status status = last.getStatus();
    String why = status.getDescription() == null ? status.getCode().toString() : status.getDescription();
    if (status.getCause() != null && status.getCause().getMessage() != null) {
      why += ": " + status.getCause().getMessage();
    }
    return status.withDescription(String.format("%s: %s (%d attempts over %.1f s; no replica took the call before "
            + "the deadline)", peer, why, attempts, nanos / 1e9))
        .asRuntimeException(last.getTrailers());
  }

  /** Waits {@code wait}, or until {@code context} is cancelled (its status is then thrown). */
  private static void await(Duration wait, Context context) {
    CountDownLatch cancelled = new CountDownLatch(1);
    Context.CancellationListener listener = c -> cancelled.countDown();
    context.addListener(listener, Runnable::run);
    try {
      if (cancelled.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        throw Contexts.statusFromCancelled(context).asRuntimeException();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted while waiting to retry").withCause(e).asRuntimeException();
    } finally {
      context.removeListener(listener);
    }
  }
}
