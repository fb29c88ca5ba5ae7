package ddpm.testing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls a method with request bytes as given, valid messages or not, as an attacker's client would: the bytes go
 * on the wire untouched, the replies come back as bytes. What a generated stub cannot send: garbage, a unary call
 * with two requests or none.
 */
public final class RawCalls {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  /** How a call ended, and what it answered before. */
  public record Outcome(Status status, List<byte[]> replies) {}

  private RawCalls() {}

  /**
   * Sends {@code requests} on one call of {@code method} (a generated descriptor: only its name and type are
   * used), half-closes, and waits for the call to end within {@code deadline}.
   */
  public static Outcome call(Channel channel, MethodDescriptor<?, ?> method, List<byte[]> requests,
      Duration deadline) {
    MethodDescriptor<byte[], byte[]> raw = method.toBuilder(BYTES, BYTES).build();
    ClientCall<byte[], byte[]> call =
        channel.newCall(raw, CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS));
    List<byte[]> replies = new ArrayList<>();
    CompletableFuture<Status> end = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(byte[] reply) {
        replies.add(reply);
        call.request(1);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        end.complete(status);
      }
    }, new Metadata());
    call.request(1);
    requests.forEach(call::sendMessage);
    call.halfClose();
    try {
      // The call's own deadline ends it; the margin only keeps a broken client from hanging the test.
      Status status = end.get(deadline.toSeconds() + 30, TimeUnit.SECONDS);
      return new Outcome(status, List.copyOf(replies));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + method.getFullMethodName(), e);
    } catch (ExecutionException | TimeoutException e) {
      call.cancel("the test gave up on the call", e);
      throw new AssertionError(method.getFullMethodName() + " did not end within its deadline", e);
    }
  }
}
