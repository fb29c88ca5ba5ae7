package ddpm.sampler.grpc;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import ddpm.sampler.SamplerConfig;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The sampler's own metrics, in its server's registry: {@code ddpm_sampler_active_requests},
 * {@code ddpm_sampler_queued_requests} (waiting for a sampling thread, read from the queue itself), the limits
 * {@code ddpm_sampler_max_concurrent_requests} and {@code ddpm_sampler_max_queued_requests}, and the counters
 * {@code ddpm_sampler_steps_total} (one per denoising step of a request, whatever its batch; steps/s is their
 * rate) and {@code ddpm_sampler_images_total} (images returned).
 */
@Singleton
public final class SamplerMetrics {
  private final Gauge activeRequests;
  private final Counter steps;
  private final Counter images;

  @Inject
  public SamplerMetrics(PrometheusRegistry registry, SamplingThreads threads, SamplerConfig config) {
    activeRequests = Gauge.builder()
        .name("ddpm_sampler_active_requests")
        .help("Sample requests being sampled now")
        .register(registry);
    GaugeWithCallback.builder()
        .name("ddpm_sampler_queued_requests")
        .help("Sample requests waiting for a sampling thread")
        .callback(callback -> callback.call(threads.queued()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("ddpm_sampler_max_concurrent_requests")
        .help("Sample requests sampled at once, at most (--max-concurrent-requests)")
        .callback(callback -> callback.call(config.maxConcurrentRequests()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("ddpm_sampler_max_queued_requests")
        .help("Sample requests that may wait for a sampling thread, at most (--max-queued-requests)")
        .callback(callback -> callback.call(config.maxQueuedRequests()))
        .register(registry);
    steps = Counter.builder()
        .name("ddpm_sampler_steps_total")
        .help("Denoising steps done, one denoiser call each (two for Heun, one more per corrector step)")
        .register(registry);
    images = Counter.builder()
        .name("ddpm_sampler_images_total")
        .help("Images sampled and returned")
        .register(registry);
  }

  void requestStarted() {
    activeRequests.inc();
  }

  void requestEnded() {
    activeRequests.dec();
  }

  void stepDone() {
    steps.inc();
  }

  void imagesDone(int count) {
    images.inc(count);
  }
}
