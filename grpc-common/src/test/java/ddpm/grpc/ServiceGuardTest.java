package ddpm.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.GetScheduleResponse;
import ddpm.api.v1.PredictNoiseRequest;
import ddpm.api.v1.PredictNoiseResponse;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.grpc.security.Security;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A guarded service's calls, driven as grpc-java's server drives them: request bytes in, the call's end out. */
class ServiceGuardTest {
  private static final byte[] GARBAGE = {(byte) 0xff, (byte) 0xff, (byte) 0xff};

  /** Records every request it is given, and whether a stream's client went away. */
  private static final class RecordingServices {
    final List<Object> requests = new ArrayList<>();
    final List<Throwable> streamErrors = new ArrayList<>();
    final List<StreamObserver<PredictNoiseResponse>> streams = new ArrayList<>();

    BindableService schedules() {
      return new ScheduleServiceGrpc.ScheduleServiceImplBase() {
        @Override
        public void getSchedule(GetScheduleRequest request, StreamObserver<GetScheduleResponse> observer) {
          requests.add(request);
          observer.onNext(GetScheduleResponse.getDefaultInstance());
          observer.onCompleted();
        }
      };
    }

    BindableService denoiser() {
      return new DenoiserServiceGrpc.DenoiserServiceImplBase() {
        @Override
        public StreamObserver<PredictNoiseRequest> predictNoiseStream(StreamObserver<PredictNoiseResponse> replies) {
          // As the sampler's Sample does: a reply after the client left is dropped rather than thrown.
          ((ServerCallStreamObserver<PredictNoiseResponse>) replies).setOnCancelHandler(() -> { });
          streams.add(replies);
          return new StreamObserver<>() {
            @Override
            public void onNext(PredictNoiseRequest request) {
              requests.add(request);
            }

            @Override
            public void onError(Throwable t) {
              streamErrors.add(t);
            }

            @Override
            public void onCompleted() {
              replies.onCompleted();
            }
          };
        }
      };
    }
  }

  /** The server's side of one call: what the guarded service sent and how it ended the call. */
  private static final class CallEnd<R> extends ServerCall<InputStream, R> {
    final MethodDescriptor<InputStream, R> method;
    final List<R> sent = new ArrayList<>();
    Status status;

    CallEnd(MethodDescriptor<InputStream, R> method) {
      this.method = method;
    }

    @Override
    public void request(int numMessages) {}

    @Override
    public void sendHeaders(Metadata headers) {}

    @Override
    public void sendMessage(R message) {
      sent.add(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (this.status != null) {
        throw new IllegalStateException("call already closed");
      }
      this.status = status;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public MethodDescriptor<InputStream, R> getMethodDescriptor() {
      return method;
    }
  }

  private final RecordingServices services = new RecordingServices();

  @SuppressWarnings("unchecked")
  private static <R> ServerMethodDefinition<InputStream, R> method(BindableService service, String name) {
    return (ServerMethodDefinition<InputStream, R>) ServiceGuard.guard(service).getMethods().stream()
        .filter(m -> m.getMethodDescriptor().getBareMethodName().equals(name)).findFirst().orElseThrow();
  }

  /** Starts a call as the server does, then gives it each request and ends the client's side. */
  private static <R> CallEnd<R> call(ServerMethodDefinition<InputStream, R> method, byte[]... requests) {
    CallEnd<R> call = new CallEnd<>(method.getMethodDescriptor());
    ServerCall.Listener<InputStream> listener = method.getServerCallHandler().startCall(call, new Metadata());
    listener.onReady();
    for (byte[] request : requests) {
      listener.onMessage(new ByteArrayInputStream(request));
    }
    listener.onHalfClose();
    if (call.status != null) {
      listener.onComplete();
    }
    return call;
  }

  private static void assertRefused(CallEnd<?> call, String description) {
    assertEquals(Status.Code.INVALID_ARGUMENT, call.status.getCode(), call.status.toString());
    assertEquals(description, call.status.getDescription());
  }

  @Test
  void aValidRequestReachesTheService() {
    byte[] request = GetScheduleRequest.newBuilder().setKind("linear").setTimesteps(10).build().toByteArray();
    CallEnd<GetScheduleResponse> call = call(method(services.schedules(), "GetSchedule"), request);
    assertTrue(call.status.isOk(), call.status.toString());
    assertEquals(List.of(GetScheduleRequest.newBuilder().setKind("linear").setTimesteps(10).build()),
        services.requests);
  }

  /** grpc-java answers these bytes with UNKNOWN and logs a stack trace. */
  @Test
  void bytesThatAreNotTheRequestMessageAreInvalidArgumentAndNeverReachTheService() {
    CallEnd<GetScheduleResponse> call = call(method(services.schedules(), "GetSchedule"), GARBAGE);
    assertRefused(call, "request: not a valid ddpm.v1.GetScheduleRequest message");
    assertTrue(services.requests.isEmpty());
  }

  @Test
  void aUnaryCallWithTwoRequestsOrNoneIsInvalidArgument() {
    byte[] request = GetScheduleRequest.getDefaultInstance().toByteArray();
    assertRefused(call(method(services.schedules(), "GetSchedule"), request, request),
        "request: this method takes one request message, and a second one came");
    assertRefused(call(method(services.schedules(), "GetSchedule")),
        "request: the call ended without its request message");
    assertTrue(services.requests.isEmpty());
  }

  /**
   * On a stream, the requests before the bad one were the service's; after it the call is over, to the service
   * as if the client had gone, and what it still sends is dropped.
   */
  @Test
  void aBadRequestOnAStreamEndsItAndTheServiceHearsTheClientLeft() {
    byte[] good = PredictNoiseRequest.newBuilder().setModel("point").build().toByteArray();
    CallEnd<PredictNoiseResponse> call = call(method(services.denoiser(), "PredictNoiseStream"), good, GARBAGE, good);
    assertRefused(call, "request: not a valid ddpm.v1.PredictNoiseRequest message");
    assertEquals(1, services.requests.size());
    assertEquals(1, services.streamErrors.size(), "the service's stream was told it ended");
    services.streams.get(0).onNext(PredictNoiseResponse.getDefaultInstance());
    assertTrue(call.sent.isEmpty(), "a reply after the refusal is dropped");
  }

  @Test
  void aServiceThatClosedTheCallItselfKeepsItsStatus() {
    CallEnd<PredictNoiseResponse> call = call(method(services.denoiser(), "PredictNoiseStream"));
    assertTrue(call.status.isOk(), "the service completed the stream at half-close");
    assertNull(call.status.getDescription());
  }

  /** grpcurl and other reflection clients describe a service from the descriptors the guard must keep. */
  @Test
  void reflectionStillDescribesAGuardedService() throws Exception {
    try (ServerRunner runner = ServerRunner.start("test",
        Endpoint.loopback().withSecurity(Security.NONE.withReflection(true)), List.of(services.schedules()))) {
      ManagedChannel channel = NettyChannelBuilder.forTarget(runner.address()).usePlaintext().build();
      try {
        var call = ServerReflectionGrpc.newBlockingV2Stub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
            .serverReflectionInfo();
        call.write(ServerReflectionRequest.newBuilder()
            .setFileContainingSymbol(ScheduleServiceGrpc.SERVICE_NAME).build());
        call.halfClose();
        var files = call.read().getFileDescriptorResponse().getFileDescriptorProtoList();
        assertFalse(files.isEmpty(), "no descriptor for " + ScheduleServiceGrpc.SERVICE_NAME);
      } finally {
        Channels.close(channel);
      }
    }
  }
}
