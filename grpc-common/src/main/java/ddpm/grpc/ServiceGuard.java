package ddpm.grpc;

import com.google.protobuf.Message;
import io.grpc.Attributes;
import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;
import java.util.List;

/**
 * A service as {@link ServerRunner} serves it: each request is decoded inside the call instead of by grpc-java
 * before it, and each call that ends with an error is logged in one line ({@link RefusalLog}).
 *
 * <p>grpc-java decodes a request before any interceptor sees it, and answers bytes that are not the method's
 * request message with UNKNOWN, logging a stack trace for each. Here such bytes, a unary call with a second
 * request message and one that ends without any are INVALID_ARGUMENT ("request: not a valid
 * ddpm.v1.PredictNoiseRequest message"); the service's code never sees the call's requests, and to it the call
 * was cancelled by the client.
 */
public final class ServiceGuard {
  /** The request's bytes as they came, so that decoding them happens where a failure can be answered. */
  private static final MethodDescriptor.Marshaller<InputStream> UNDECODED = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(InputStream value) {
      return value;
    }

    @Override
    public InputStream parse(InputStream stream) {
      return stream;
    }
  };

  private ServiceGuard() {}

  public static ServerServiceDefinition guard(BindableService service) {
    return guard(service.bindService());
  }

  public static ServerServiceDefinition guard(ServerServiceDefinition definition) {
    ServiceDescriptor original = definition.getServiceDescriptor();
    RefusalLog refusals = new RefusalLog(System::nanoTime);
    List<ServerMethodDefinition<InputStream, ?>> methods =
        definition.getMethods().stream().<ServerMethodDefinition<InputStream, ?>>map(m -> guard(m, refusals)).toList();
    // The schema descriptor is what server reflection describes the service by.
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(original.getName()).setSchemaDescriptor(original.getSchemaDescriptor());
    methods.forEach(method -> descriptor.addMethod(method.getMethodDescriptor()));
    ServerServiceDefinition.Builder guarded = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(guarded::addMethod);
    return guarded.build();
  }

  private static <Q, R> ServerMethodDefinition<InputStream, R> guard(ServerMethodDefinition<Q, R> definition,
      RefusalLog refusals) {
    MethodDescriptor<Q, R> method = definition.getMethodDescriptor();
    ServerCallHandler<Q, R> handler = definition.getServerCallHandler();
    ServerCallHandler<InputStream, R> guarded = (call, headers) -> {
      GuardedCall<Q, R> decoded = new GuardedCall<>(call, method, refusals);
      return new DecodingListener<>(handler.startCall(decoded, headers), decoded);
    };
    return ServerMethodDefinition.create(method.toBuilder(UNDECODED, method.getResponseMarshaller()).build(), guarded);
  }

  /** How a refusal names the request message: its protobuf name, ddpm.v1.PredictNoiseRequest. */
  private static String requestName(MethodDescriptor<?, ?> method) {
    if (method.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> prototype
        && prototype.getMessagePrototype() instanceof Message message) {
      return message.getDescriptorForType().getFullName();
    }
    return method.getFullMethodName() + " request";
  }

  /**
   * The call as the service sees it, with its own request type; it logs the call's error, and drops what the
   * service sends after the guard has refused the call.
   */
  private static final class GuardedCall<Q, R> extends ServerCall<Q, R> {
    private final ServerCall<InputStream, R> call;
    private final MethodDescriptor<Q, R> method;
    private final RefusalLog refusals;
    private volatile boolean refused;

    GuardedCall(ServerCall<InputStream, R> call, MethodDescriptor<Q, R> method, RefusalLog refusals) {
      this.call = call;
      this.method = method;
      this.refusals = refusals;
    }

    /** Ends the call with {@code status} unless it has ended; true when this ended it. */
    synchronized boolean refuse(Status status) {
      if (refused) {
        return false;
      }
      try {
        close(status, new Metadata());
      } catch (IllegalStateException alreadyClosedByTheService) {
        return false;
      }
      refused = true;
      return true;
    }

    boolean refused() {
      return refused;
    }

    @Override
    public synchronized void sendMessage(R message) {
      if (!refused) {
        call.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (refused) {
        return;
      }
      call.close(status, trailers);
      if (!status.isOk()) {
        refusals.refused(method.getFullMethodName(), call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
            status);
      }
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!refused) {
        call.sendHeaders(headers);
      }
    }

    @Override
    public boolean isCancelled() {
      return refused || call.isCancelled();
    }

    @Override
    public void request(int numMessages) {
      call.request(numMessages);
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      call.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
      call.setCompression(compressor);
    }

    @Override
    public void setOnReadyThreshold(int numBytes) {
      call.setOnReadyThreshold(numBytes);
    }

    @Override
    public SecurityLevel getSecurityLevel() {
      return call.getSecurityLevel();
    }

    @Override
    public Attributes getAttributes() {
      return call.getAttributes();
    }

    @Override
    public String getAuthority() {
      return call.getAuthority();
    }

    @Override
    public MethodDescriptor<Q, R> getMethodDescriptor() {
      return method;
    }
  }

  /**
   * Decodes each request before the service's listener gets it. grpc-java calls a listener on one thread at a
   * time, so {@code received} needs no lock.
   */
  private static final class DecodingListener<Q> extends ServerCall.Listener<InputStream> {
    private final ServerCall.Listener<Q> listener;
    private final GuardedCall<Q, ?> call;
    private final boolean oneRequest;
    private boolean received;

    DecodingListener(ServerCall.Listener<Q> listener, GuardedCall<Q, ?> call) {
      this.listener = listener;
      this.call = call;
      this.oneRequest = call.getMethodDescriptor().getType().clientSendsOneMessage();
    }

    @Override
    public void onMessage(InputStream bytes) {
      if (call.refused()) {
        return;
      }
      if (oneRequest && received) {
        refuse("request: this method takes one request message, and a second one came");
        return;
      }
      Q request;
      try {
        request = call.getMethodDescriptor().parseRequest(bytes);
      } catch (RuntimeException e) {
        refuse("request: not a valid " + requestName(call.getMethodDescriptor()) + " message");
        return;
      }
      received = true;
      listener.onMessage(request);
    }

    @Override
    public void onHalfClose() {
      if (call.refused()) {
        return;
      }
      if (oneRequest && !received) {
        refuse("request: the call ended without its request message");
        return;
      }
      listener.onHalfClose();
    }

    @Override
    public void onCancel() {
      if (!call.refused()) {
        listener.onCancel();
      }
    }

    @Override
    public void onComplete() {
      if (!call.refused()) {
        listener.onComplete();
      }
    }

    @Override
    public void onReady() {
      if (!call.refused()) {
        listener.onReady();
      }
    }

    /** Refuses the call, and tells the service's listener that it is over. */
    private void refuse(String description) {
      if (call.refuse(Status.INVALID_ARGUMENT.withDescription(description))) {
        listener.onCancel();
      }
    }
  }
}
