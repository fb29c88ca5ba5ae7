package ddpm.grpc.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.ModelControlServiceGrpc;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.api.v1.TrainerServiceGrpc;
import ddpm.grpc.Channels;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each caller against each RPC of each ddpm.v1 service, on one real server on loopback whose services answer
 * every call with an empty reply: the roles, not the services, are under test.
 */
class AuthorizationTest {
  private static final String SAMPLER = "sampler-token-5f1e2d3c4b5a";
  private static final String OPERATOR = "operator-token-9a8b7c6d5e4f";
  private static final String STRANGER = "stranger-token-0a1b2c3d4e5f";
  private static final List<ServiceDescriptor> SERVICES = List.of(SamplerServiceGrpc.getServiceDescriptor(),
      DenoiserServiceGrpc.getServiceDescriptor(), ModelControlServiceGrpc.getServiceDescriptor(),
      ScheduleServiceGrpc.getServiceDescriptor(), TrainerServiceGrpc.getServiceDescriptor());

  private static ServerRunner server;
  private static final List<ManagedChannel> channels = new ArrayList<>();

  /** Who calls: with which token, or none. */
  enum Caller {
    NOBODY(null), SAMPLER_ROLE(SAMPLER), ADMIN_ROLE(OPERATOR), UNLISTED(STRANGER);

    final String token;

    Caller(String token) {
      this.token = token;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    List<BindableService> services = SERVICES.stream()
        .<BindableService>map(service -> () -> answeringEmpty(service)).toList();
    CallerRoles roles = CallerRoles.fromText(SAMPLER + " sample\n" + OPERATOR + " admin", "test");
    server = ServerRunner.start("suite", Endpoint.loopback().withSecurity(Security.NONE.withRoles(roles)), services);
  }

  @AfterAll
  static void stop() {
    channels.forEach(Channels::close);
    server.close();
  }

  static Stream<Arguments> everyMethodAndCaller() {
    return SERVICES.stream()
        .flatMap(service -> service.getMethods().stream())
        .flatMap(method -> Stream.of(Caller.values()).map(caller -> Arguments.of(method.getFullMethodName(), caller)));
  }

  @ParameterizedTest(name = "{0} by {1}")
  @MethodSource("everyMethodAndCaller")
  void eachCallerMayCallWhatItsRoleAllows(String methodName, Caller caller) throws Exception {
    MethodDescriptor<?, ?> method = SERVICES.stream().flatMap(service -> service.getMethods().stream())
        .filter(m -> m.getFullMethodName().equals(methodName)).findFirst().orElseThrow();
    Role needed = MethodRoles.needed(methodName).orElseThrow();
    Security security = caller.token == null ? Security.NONE : Security.NONE.withToken(BearerToken.of(caller.token));

    Status status = call(channel(security), method);

    switch (caller) {
      case NOBODY -> assertEquals(Status.UNAUTHENTICATED.withDescription(
          "no credential: the suite needs the header `authorization: Bearer TOKEN` (or a client certificate)").toString(),
          status.toString());
      case UNLISTED -> assertEquals(
          Status.UNAUTHENTICATED.withDescription("authorization: the bearer token is not known to the suite").toString(),
          status.toString());
      case SAMPLER_ROLE -> assertEquals(needed == Role.SAMPLE ? Status.OK.toString()
          : Status.PERMISSION_DENIED.withDescription(methodName + " needs the admin role").toString(),
          status.toString());
      case ADMIN_ROLE -> assertEquals(Status.OK.toString(), status.toString());
    }
    if (caller.token != null) {
      assertFalse(String.valueOf(status.getDescription()).contains(caller.token));
    }
  }

  @Test
  void healthNeedsNoCredential() {
    assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(channel(Security.NONE))
        .withDeadlineAfter(30, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus());
  }

  @Test
  void aCredentialThatIsNotABearerTokenIsRefused() throws Exception {
    Metadata basic = new Metadata();
    basic.put(BearerToken.AUTHORIZATION, "Basic " + OPERATOR);
    Channel channel = ClientInterceptors.intercept(channel(Security.NONE),
        MetadataUtils.newAttachHeadersInterceptor(basic));
    assertEquals(Status.UNAUTHENTICATED.withDescription("authorization: must be `Bearer TOKEN`").toString(),
        call(channel, ScheduleServiceGrpc.getGetScheduleMethod()).toString());
  }

  /** A method the table lacks (one added to a service without a role) is refused to everyone, admin too. */
  @Test
  void aMethodWithoutARoleIsRefusedToAdminToo() throws Exception {
    MethodDescriptor<?, ?> unlisted = ScheduleServiceGrpc.getGetScheduleMethod().toBuilder()
        .setFullMethodName("test.Unlisted/Call").build();
    ServiceDescriptor service = ServiceDescriptor.newBuilder("test.Unlisted").addMethod(unlisted).build();
    CallerRoles roles = CallerRoles.fromText(OPERATOR + " admin", "test");
    try (ServerRunner unlistedServer = ServerRunner.start("unlisted",
        Endpoint.loopback().withSecurity(Security.NONE.withRoles(roles)), List.of(() -> answeringEmpty(service)))) {
      ManagedChannel channel = Channels.forTarget(unlistedServer.address(),
          Security.NONE.withToken(BearerToken.of(OPERATOR)).channelCredentials());
      channels.add(channel);
      assertEquals(Status.PERMISSION_DENIED.withDescription("test.Unlisted/Call: no role may call it").toString(),
          call(channel, unlisted).toString());
    }
  }

  private static ManagedChannel channel(Security security) {
    ManagedChannel channel = Channels.forTarget(server.address(), security.channelCredentials());
    channels.add(channel);
    return channel;
  }

  /** One call of any kind (unary or streaming) with an empty request; the status it ends with. */
  private static <Q, R> Status call(Channel channel, MethodDescriptor<Q, R> method) throws Exception {
    ClientCall<Q, R> call = channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status);
      }
    }, new Metadata());
    call.request(1);
    call.sendMessage(emptyMessage(method.getRequestMarshaller()));
    call.halfClose();
    return closed.get(30, TimeUnit.SECONDS);
  }

  /** The service, each of whose methods answers an empty reply at once. */
  private static ServerServiceDefinition answeringEmpty(ServiceDescriptor service) {
    ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(service);
    service.getMethods().forEach(method -> addEmptyAnswer(definition, method));
    return definition.build();
  }

  private static <Q, R> void addEmptyAnswer(ServerServiceDefinition.Builder definition, MethodDescriptor<Q, R> method) {
    ServerCallHandler<Q, R> handler = (call, headers) -> {
      call.sendHeaders(new Metadata());
      call.sendMessage(emptyMessage(method.getResponseMarshaller()));
      call.close(Status.OK, new Metadata());
      return new ServerCall.Listener<>() {};
    };
    definition.addMethod(method, handler);
  }

  @SuppressWarnings("unchecked")
  private static <T> T emptyMessage(MethodDescriptor.Marshaller<T> marshaller) {
    return ((MethodDescriptor.PrototypeMarshaller<T>) marshaller).getMessagePrototype();
  }
}
