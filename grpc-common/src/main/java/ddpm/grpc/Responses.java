package ddpm.grpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Runs a unary handler's body and answers with its value or its mapped error, so handlers never throw. */
public final class Responses {
  private Responses() {}

  public static <T> void unary(StreamObserver<T> observer, Supplier<T> body) {
    T value;
    try {
      value = body.get();
    } catch (RuntimeException | Error e) {
      observer.onError(StatusMapper.toStatus(e));
      return;
    }
    observer.onNext(value);
    observer.onCompleted();
  }

  /**
   * As {@link #unary}, for a body that answers later: the handler's thread is free while the work waits
   * (in the denoiser, while a call waits for its batch).
   */
  public static <T> void unaryAsync(StreamObserver<T> observer, Supplier<CompletableFuture<T>> body) {
    CompletableFuture<T> future;
    try {
      future = body.get();
    } catch (RuntimeException | Error e) {
      observer.onError(StatusMapper.toStatus(e));
      return;
    }
    future.whenComplete((value, error) -> {
      if (error != null) {
        observer.onError(StatusMapper.toStatus(error));
      } else {
        observer.onNext(value);
        observer.onCompleted();
      }
    });
  }
}
