package ddpm.grpc.security;

import static java.util.Map.entry;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.ModelControlServiceGrpc;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.api.v1.TrainerServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.health.v1.HealthGrpc;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one table of which role each RPC needs. Every method of every ddpm.v1 service has an entry (a test
 * holds the table to the .proto files, so a new RPC cannot be forgotten); a method without one is refused to
 * everyone. Health and reflection are open to all: probes carry no token, and reflection is served only
 * when asked for ({@link Security#reflection()}).
 *
 * <p>The trainer's GetJob and WatchJob need admin although they only read: training is an operator's
 * business, a job's events describe the operator's data and runs, and whoever samples has no use for them.
 */
public final class MethodRoles {
  private static final Set<String> OPEN_SERVICES = Set.of(
      HealthGrpc.SERVICE_NAME,
      io.grpc.reflection.v1.ServerReflectionGrpc.SERVICE_NAME,
      io.grpc.reflection.v1alpha.ServerReflectionGrpc.SERVICE_NAME);

  private static final Map<String, Role> NEEDED = Map.ofEntries(
      needs(SamplerServiceGrpc.getSampleMethod(), Role.SAMPLE),
      needs(SamplerServiceGrpc.getEvaluateLikelihoodMethod(), Role.SAMPLE),
      needs(DenoiserServiceGrpc.getPredictNoiseMethod(), Role.SAMPLE),
      needs(DenoiserServiceGrpc.getPredictNoiseStreamMethod(), Role.SAMPLE),
      needs(DenoiserServiceGrpc.getGetModelInfoMethod(), Role.SAMPLE),
      needs(DenoiserServiceGrpc.getListModelsMethod(), Role.SAMPLE),
      needs(ScheduleServiceGrpc.getGetScheduleMethod(), Role.SAMPLE),
      needs(ModelControlServiceGrpc.getLoadModelMethod(), Role.ADMIN),
      needs(ModelControlServiceGrpc.getUnloadModelMethod(), Role.ADMIN),
      needs(ModelControlServiceGrpc.getSetDefaultVersionMethod(), Role.ADMIN),
      needs(ModelControlServiceGrpc.getClearDefaultVersionMethod(), Role.ADMIN),
      needs(TrainerServiceGrpc.getStartTrainingMethod(), Role.ADMIN),
      needs(TrainerServiceGrpc.getWatchJobMethod(), Role.ADMIN),
      needs(TrainerServiceGrpc.getGetJobMethod(), Role.ADMIN),
      needs(TrainerServiceGrpc.getCancelJobMethod(), Role.ADMIN));

  private MethodRoles() {}

  private static Map.Entry<String, Role> needs(MethodDescriptor<?, ?> method, Role role) {
    return entry(method.getFullMethodName(), role);
  }

  /** Whether anyone may call {@code fullMethodName} (e.g. {@code grpc.health.v1.Health/Check}) without a credential. */
  public static boolean isOpen(String fullMethodName) {
    return OPEN_SERVICES.contains(MethodDescriptor.extractFullServiceName(fullMethodName));
  }

  /** The role {@code fullMethodName} (e.g. {@code ddpm.v1.SamplerService/Sample}) needs; empty when it has no entry. */
  public static Optional<Role> needed(String fullMethodName) {
    return Optional.ofNullable(NEEDED.get(fullMethodName));
  }

  /** Every entry: full method name → role. */
  public static Map<String, Role> table() {
    return NEEDED;
  }
}
