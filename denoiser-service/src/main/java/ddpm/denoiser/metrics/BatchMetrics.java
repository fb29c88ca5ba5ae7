package ddpm.denoiser.metrics;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import ddpm.denoiser.batch.BatchListener;
import ddpm.denoiser.core.VersionedCard;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The batchers' metrics, labelled by model and version: {@code ddpm_denoiser_queue_images} (images waiting),
 * {@code ddpm_denoiser_queue_seconds} (a histogram of how long each queued call, or max_batch part of one, waited
 * before its engine call began), {@code ddpm_denoiser_batch_images} (a histogram of images per engine call), {@code ddpm_denoiser_engine_seconds}
 * (time in the network per engine call) and {@code ddpm_denoiser_images_total} (images evaluated; images/s is
 * its rate).
 */
@Singleton
public final class BatchMetrics {
  private static final String[] LABELS = {"model", "version"};
  private static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final Gauge queue;
  private final Histogram queueSeconds;
  private final Histogram batchImages;
  private final Histogram engineSeconds;
  private final Counter images;

  @Inject
  public BatchMetrics(PrometheusRegistry registry) {
    queue = Gauge.builder()
        .name("ddpm_denoiser_queue_images")
        .help("Images waiting for an engine call")
        .labelNames(LABELS)
        .register(registry);
    queueSeconds = Histogram.builder()
        .name("ddpm_denoiser_queue_seconds")
        .help("Time a call's images waited in the queue before their engine call began")
        .classicUpperBounds(SECONDS)
        .labelNames(LABELS)
        .register(registry);
    batchImages = Histogram.builder()
        .name("ddpm_denoiser_batch_images")
        .help("Images per engine call")
        .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
        .labelNames(LABELS)
        .register(registry);
    engineSeconds = Histogram.builder()
        .name("ddpm_denoiser_engine_seconds")
        .help("Time in the network per engine call")
        .classicUpperBounds(SECONDS)
        .labelNames(LABELS)
        .register(registry);
    images = Counter.builder()
        .name("ddpm_denoiser_images_total")
        .help("Images evaluated by the network")
        .labelNames(LABELS)
        .register(registry);
  }

  /** The listener of one version's batcher. */
  public BatchListener forVersion(VersionedCard card) {
    String model = card.name();
    String version = Long.toString(card.version());
    return new BatchListener() {
      @Override
      public void onBatch(int count, int calls, long engineNanos) {
        batchImages.labelValues(model, version).observe(count);
        engineSeconds.labelValues(model, version).observe(engineNanos / 1e9);
        images.labelValues(model, version).inc(count);
      }

      @Override
      public void onQueueWait(long queuedNanos) {
        queueSeconds.labelValues(model, version).observe(queuedNanos / 1e9);
      }

      @Override
      public void onQueueDepth(int waiting) {
        queue.labelValues(model, version).set(waiting);
      }
    };
  }
}
