package ddpm.sampler.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.sampler.SamplerConfig;
import ddpm.sampler.core.ImageSampler;
import ddpm.testing.GrpcCleanup;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SamplerBusyTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  /**
   * A full executor's own message ("Task io.grpc.Context$1@… rejected from java.util.concurrent.ThreadPoolExecutor@…
   * [Running, pool size = 16, …]") names classes and the executor's state; the caller is told what is full and what
   * to do instead.
   */
  @Test
  void aSamplerWithEveryThreadBusySaysSoAndWhatToDo() throws IOException {
    Executor full = task -> {
      throw new RejectedExecutionException("Task " + task + " rejected from java.util.concurrent.ThreadPoolExecutor");
    };
    SamplerConfig config = SamplerConfig.of(Endpoint.loopback(), "localhost:1", "localhost:1");
    // Never reached: the request is refused before it is sampled.
    ImageSampler sampler = new ImageSampler(null, null, config);
    ServerRunner server = grpc.register(ServerRunner.start("sampler", Endpoint.loopback(),
        List.of(new SamplerGrpcService(sampler, full, new SamplerMetrics(new PrometheusRegistry())))));

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> SamplerServiceGrpc.newBlockingStub(grpc.channelTo(server))
            .sample(SampleRequest.newBuilder().setModel("point").setNumImages(1).build()).hasNext());
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
    assertEquals(SamplerGrpcService.BUSY, e.getStatus().getDescription());
  }
}
