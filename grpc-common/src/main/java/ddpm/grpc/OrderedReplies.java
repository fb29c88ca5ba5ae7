package ddpm.grpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The request side of a bidirectional stream that answers every request with one reply, in request order,
 * even when later requests finish first. The first failure ends the stream with its mapped status and
 * drops the requests after it.
 */
public final class OrderedReplies<Q, R> implements StreamObserver<Q> {
  private final StreamObserver<R> replies;
  private final Function<Q, CompletableFuture<R>> handler;
  private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
  private boolean failed;

  public OrderedReplies(StreamObserver<R> replies, Function<Q, CompletableFuture<R>> handler) {
    this.replies = replies;
    this.handler = handler;
  }

  @Override
  public synchronized void onNext(Q request) {
    if (failed) {
      return;
    }
    CompletableFuture<R> reply;
    try {
      reply = handler.apply(request);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<R> mine = reply;
    previous = previous.thenCompose(ignored -> mine).handle((value, error) -> {
      send(value, error);
      return null;
    });
  }

  @Override
  public synchronized void onError(Throwable clientError) {
    failed = true;
  }

  @Override
  public synchronized void onCompleted() {
    previous.thenRun(() -> {
      synchronized (this) {
        if (!failed) {
          replies.onCompleted();
        }
      }
    });
  }

  private synchronized void send(R value, Throwable error) {
    if (failed) {
      return;
    }
    if (error != null) {
      failed = true;
      replies.onError(StatusMapper.toStatus(error));
    } else {
      replies.onNext(value);
    }
  }
}
