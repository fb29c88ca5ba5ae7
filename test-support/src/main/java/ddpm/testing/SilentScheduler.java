package ddpm.testing;

import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.GetScheduleResponse;
import ddpm.api.v1.ScheduleServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A scheduler that takes every call and never answers: a hung scheduler. It records the time each call's
 * deadline had left when the call arrived, so a test can tell whether the caller's configured timeout was
 * applied (a deadline read after the call failed is always short, even when the timeout was ignored).
 */
public final class SilentScheduler extends ScheduleServiceGrpc.ScheduleServiceImplBase {
  /** Per call: the milliseconds its deadline had left on arrival, or null for a call without a deadline. */
  public final BlockingQueue<Long> millisLeftOnArrival = new LinkedBlockingQueue<>();

  @Override
  public void getSchedule(GetScheduleRequest request, StreamObserver<GetScheduleResponse> responses) {
    millisLeftOnArrival.add(CallDeadlines.millisLeft());
  }
}
