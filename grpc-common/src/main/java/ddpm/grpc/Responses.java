package ddpm.grpc;

import io.grpc.stub.StreamObserver;
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
}
