package ddpm.testing;

import io.grpc.Context;
import io.grpc.Deadline;
import java.util.concurrent.TimeUnit;

/** What a fake server's current call has left of its deadline. */
public final class CallDeadlines {
  private CallDeadlines() {}

  /** The milliseconds the current call's deadline has left now; null (not -1 or 0) for a call without one. */
  public static Long millisLeft() {
    Deadline deadline = Context.current().getDeadline();
    return deadline == null ? null : deadline.timeRemaining(TimeUnit.MILLISECONDS);
  }
}
