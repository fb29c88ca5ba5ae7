package ddpm.denoiser.metrics;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import ddpm.denoiser.core.VersionListener;
import ddpm.denoiser.core.VersionState;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each model version's life in this denoiser, for every version it has met: {@code ddpm_denoiser_model_state}
 * (1 for the state it is in, 0 for the others, one series per state, so that {@code == 1} selects it) and
 * {@code ddpm_denoiser_model_load_seconds} (how long its last load that made it READY took, warm-up included,
 * labelled with the device, precision and GroupNorm kernel it runs with). A version whose folder left the repository loses its series.
 */
@Singleton
public final class VersionMetrics implements VersionListener {
  private final Gauge state;
  private final Gauge loadSeconds;
  /**
   * The device, precision and GroupNorm labels of each version's load_seconds series, by model/version, to remove it with the
   * version.
   */
  private final Map<String, Placement> placements = new ConcurrentHashMap<>();

  @Inject
  public VersionMetrics(PrometheusRegistry registry) {
    state = Gauge.builder()
        .name("ddpm_denoiser_model_state")
        .help("1 for the state a model version is in (available, loading, ready, refused, unloaded), 0 for the others")
        .labelNames("model", "version", "state")
        .register(registry);
    loadSeconds = Gauge.builder()
        .name("ddpm_denoiser_model_load_seconds")
        .help("Time the last load of a model version took, warm-up included, and the device, precision and GroupNorm"
            + " kernel it runs with")
        .labelNames("model", "version", "device", "precision", "group_norm")
        .register(registry);
  }

  @Override
  public void onState(String model, long version, VersionState now) {
    String v = Long.toString(version);
    for (VersionState each : VersionState.values()) {
      state.labelValues(model, v, label(each)).set(each == now ? 1 : 0);
    }
  }

  @Override
  public void onLoaded(String model, long version, String device, String precision, String groupNorm,
      long loadNanos) {
    String v = Long.toString(version);
    loadSeconds.labelValues(model, v, device, precision, groupNorm).set(loadNanos / 1e9);
    placements.put(model + "/" + v, new Placement(device, precision, groupNorm));
  }

  @Override
  public void onRemoved(String model, long version) {
    String v = Long.toString(version);
    for (VersionState each : VersionState.values()) {
      state.remove(model, v, label(each));
    }
    Placement placement = placements.remove(model + "/" + v);
    if (placement != null) {
      loadSeconds.remove(model, v, placement.device(), placement.precision(), placement.groupNorm());
    }
  }

  private static String label(VersionState state) {
    return state.name().toLowerCase(Locale.ROOT);
  }

  private record Placement(String device, String precision, String groupNorm) {}
}
