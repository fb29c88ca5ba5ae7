package ddpm.metrics;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Binds a new {@link PrometheusRegistry} for the injector, so that each server, which builds its own injector,
 * exports only its own metrics. The JVM-wide default registry is never used: the embedded suite and the
 * tests run several servers in one JVM, and they would register the same names twice.
 */
public final class MetricsModule extends AbstractModule {
  @Provides
  @Singleton
  PrometheusRegistry registry() {
    return new PrometheusRegistry();
  }
}
