package ddpm.metrics;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Binds a new {@link PrometheusRegistry} for the injector, so that each server, which builds its own injector,
 * exports only its own metrics. The JVM-wide default registry is never used: the embedded suite and the
 * tests run several servers in one JVM, and they would register the same names twice.
 *
 * <p>Every registry starts with the JVM's and the process's metrics (memory, GC, threads, CPU, open files:
 * {@code jvm_*}, {@code process_*}) and {@code ddpm_build_info}, so that each service's page has them; servers
 * sharing a JVM report the same figures for it.
 */
public final class MetricsModule extends AbstractModule {
  @Provides
  @Singleton
  PrometheusRegistry registry() {
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    BuildInfo.current().register(registry);
    return registry;
  }

  /** The metrics of the calls the service makes to its peers, for every channel it opens to one. */
  @Provides
  @Singleton
  GrpcClientMetrics clientMetrics(PrometheusRegistry registry) {
    return new GrpcClientMetrics(registry);
  }
}
