package ddpm.denoiser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.DenoiserServiceGrpc.DenoiserServiceBlockingStub;
import ddpm.api.v1.GetModelInfoRequest;
import ddpm.api.v1.ListModelsRequest;
import ddpm.api.v1.LoadModelRequest;
import ddpm.api.v1.ModelControlServiceGrpc;
import ddpm.api.v1.ModelControlServiceGrpc.ModelControlServiceBlockingStub;
import ddpm.api.v1.UnloadModelRequest;
import ddpm.api.v1.VersionStatus;
import ddpm.denoiser.batch.BatchingConfig;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.tensorflow.ComputeDevice;
import ddpm.tensorflow.CpuFlags;
import ddpm.tensorflow.DeviceChoice;
import ddpm.tensorflow.GroupNormKernel;
import ddpm.tensorflow.PrecisionChoice;
import ddpm.tensorflow.kernels.FusedKernels;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.MetricsScrape;
import io.grpc.Channel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device and precision each version runs in, in GetModelInfo, ListModels and the metrics; --device gpu without a
 * GPU, and --precision bf16 where it would not run.
 */
class DeviceServerTest {
  private static final ModelCard POINT = ExactDenoisers.card("point", 2, 2, 1, 10, "linear");
  private static final BatchingConfig BATCHING = new BatchingConfig(true, 4, Duration.ZERO, 16, 1);

  @TempDir Path root;
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  private DenoiserConfig config(DeviceChoice device) {
    // The watcher polls once an hour: the test's own calls load and unload.
    return new DenoiserConfig(Endpoint.loopback().withMetricsPort(0), root, BATCHING, Duration.ofHours(1),
        Duration.ofMinutes(1), BATCHING.queueCapacity(), device);
  }

  private static GetModelInfoRequest info(long version) {
    return GetModelInfoRequest.newBuilder().setModel("point").setVersion(version).build();
  }

  @Test
  void eachLoadedVersionReportsItsDeviceAndItsLoadInTheMetrics() throws Exception {
    ModelRepository repository = new ModelRepository(root);
    ExactDenoisers.publishPointMass(repository, POINT, new float[4]);
    ExactDenoisers.publishPointMass(repository, POINT, new float[4]);
    ServerRunner server = grpc.register(DenoiserServer.start(config(DeviceChoice.CPU)));
    Channel channel = grpc.channelTo(server);
    DenoiserServiceBlockingStub denoiser = DenoiserServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(1, TimeUnit.MINUTES);
    ModelControlServiceBlockingStub control = ModelControlServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(1, TimeUnit.MINUTES);

    assertEquals("cpu", control.loadModel(LoadModelRequest.newBuilder().setModel("point").setVersion(1).build())
        .getDevice());
    assertEquals("cpu", control.loadModel(LoadModelRequest.newBuilder().setModel("point").setVersion(2).build())
        .getDevice());
    control.unloadModel(UnloadModelRequest.newBuilder().setModel("point").setVersion(1).build());

    assertEquals("", denoiser.getModelInfo(info(1)).getDevice());
    assertEquals("", denoiser.getModelInfo(info(1)).getPrecision());
    assertEquals("cpu", denoiser.getModelInfo(info(0)).getDevice());
    assertEquals("fp32", denoiser.getModelInfo(info(0)).getPrecision());
    var statuses = denoiser.listModels(ListModelsRequest.getDefaultInstance()).getModels(0).getStatusesList();
    assertEquals(VersionStatus.newBuilder().setVersion(1).setState(ddpm.api.v1.VersionState.UNLOADED)
        .setReason("unloaded by UnloadModel").build(), statuses.get(0));
    assertEquals(VersionStatus.newBuilder().setVersion(2).setState(ddpm.api.v1.VersionState.READY)
        .setDevice("cpu").setPrecision("fp32").setGroupNorm("stock").build(), statuses.get(1));

    MetricsScrape metrics = MetricsScrape.of(server.metricsUrl().orElseThrow());
    assertEquals(1, metrics.value("ddpm_denoiser_model_state{model=\"point\",state=\"unloaded\",version=\"1\"}"));
    assertEquals(0, metrics.value("ddpm_denoiser_model_state{model=\"point\",state=\"ready\",version=\"1\"}"));
    assertEquals(1, metrics.value("ddpm_denoiser_model_state{model=\"point\",state=\"ready\",version=\"2\"}"));
    assertEquals(0, metrics.value("ddpm_denoiser_model_state{model=\"point\",state=\"loading\",version=\"2\"}"));
    assertTrue(metrics.value(
        "ddpm_denoiser_model_load_seconds{device=\"cpu\",group_norm=\"stock\",model=\"point\",precision=\"fp32\","
            + "version=\"2\"}") > 0);
  }

  @Test
  void bf16IsReportedWhereTheCpuRunsItAndRefusedAtStartNamingTheFlagWhereItDoesNot() throws Exception {
    ModelRepository repository = new ModelRepository(root);
    ExactDenoisers.publishPointMass(repository, POINT, new float[4]);
    DenoiserConfig bf16 = config(DeviceChoice.CPU).withPrecision(PrecisionChoice.BF16);
    if (!CpuFlags.ofThisMachine().bf16()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DenoiserServer.start(bf16));
      assertTrue(e.getMessage().startsWith("--precision bf16: this CPU has no bf16 units"), e.getMessage());
      return;
    }
    ServerRunner server = grpc.register(DenoiserServer.start(bf16));
    DenoiserServiceBlockingStub denoiser = DenoiserServiceGrpc.newBlockingStub(grpc.channelTo(server))
        .withDeadlineAfter(1, TimeUnit.MINUTES);
    assertEquals("bf16", ModelControlServiceGrpc.newBlockingStub(grpc.channelTo(server))
        .withDeadlineAfter(1, TimeUnit.MINUTES)
        .loadModel(LoadModelRequest.newBuilder().setModel("point").setVersion(1).build()).getPrecision());
    assertEquals("bf16", denoiser.getModelInfo(info(1)).getPrecision());
    assertEquals("bf16", denoiser.listModels(ListModelsRequest.getDefaultInstance()).getModels(0).getStatuses(0)
        .getPrecision());
    assertTrue(MetricsScrape.of(server.metricsUrl().orElseThrow()).value(
        "ddpm_denoiser_model_load_seconds{device=\"cpu\",group_norm=\"stock\",model=\"point\",precision=\"bf16\","
            + "version=\"1\"}") > 0);
  }

  @Test
  void theFusedKernelIsReportedWhereItReplacedAGroupNormAndStockWhereTheGraphHasNone() throws Exception {
    assumeTrue(FusedKernels.available(), () -> FusedKernels.unavailable().orElse(""));
    ModelRepository repository = new ModelRepository(root);
    ExactDenoisers.publishPointMass(repository, POINT, new float[4]);
    Path shipped = Path.of("..", "models", "mnist", "4");
    Path unet = root.resolve("unet").resolve("1");
    Files.createDirectories(unet.getParent());
    try (Stream<Path> files = Files.walk(shipped)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, unet.resolve(shipped.relativize(file).toString()));
      }
    }
    ServerRunner server = grpc.register(DenoiserServer.start(config(DeviceChoice.CPU)
        .withGroupNorm(GroupNormKernel.FUSED)));
    Channel channel = grpc.channelTo(server);
    ModelControlServiceBlockingStub control = ModelControlServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(1, TimeUnit.MINUTES);
    assertEquals("fused", control.loadModel(LoadModelRequest.newBuilder().setModel("unet").build()).getGroupNorm());
    assertEquals("stock", control.loadModel(LoadModelRequest.newBuilder().setModel("point").build()).getGroupNorm());
    DenoiserServiceBlockingStub denoiser = DenoiserServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(1, TimeUnit.MINUTES);
    assertEquals("fused", denoiser.listModels(ListModelsRequest.getDefaultInstance()).getModels(1).getStatuses(0)
        .getGroupNorm());
    assertTrue(MetricsScrape.of(server.metricsUrl().orElseThrow()).value(
        "ddpm_denoiser_model_load_seconds{device=\"cpu\",group_norm=\"fused\",model=\"unet\",precision=\"fp32\","
            + "version=\"1\"}") > 0);
  }

  @Test
  void gpuWhereTensorFlowSeesNoneFailsAtStartNamingTheFlag() {
    // With the CPU natives (the default build) TensorFlow never sees a GPU; auto then picks the CPU.
    if (DeviceChoice.AUTO.select("--device") == ComputeDevice.GPU) {
      assertSame(ComputeDevice.GPU, DeviceChoice.GPU.select("--device"));
      return;
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DenoiserServer.start(config(DeviceChoice.GPU)));
    assertTrue(e.getMessage().startsWith("--device gpu: TensorFlow sees no GPU here"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }
}
