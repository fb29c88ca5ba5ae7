package ddpm.denoiser;

import static ddpm.testing.TensorAsserts.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.DenoiserServiceGrpc.DenoiserServiceBlockingStub;
import ddpm.api.v1.GetModelInfoRequest;
import ddpm.api.v1.ListModelsRequest;
import ddpm.api.v1.ModelInfo;
import ddpm.api.v1.ModelVersions;
import ddpm.api.v1.PredictNoiseRequest;
import ddpm.api.v1.PredictNoiseResponse;
import ddpm.api.v1.Tensor;
import ddpm.denoiser.batch.BatchingConfig;
import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.TensorCodec;
import ddpm.repository.EpsContract;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DenoiserServerTest {
  /** Engine batches of 4 and room for 16 waiting images: 7 images are split, 17 are refused. */
  private static final BatchingConfig BATCHING = new BatchingConfig(true, 4, Duration.ofMillis(2), 16, 1);
  private static final int MAX_IMAGES_PER_CALL = BATCHING.queueCapacity();
  private static final int T = 100;
  private static final ModelCard POINT = ExactDenoisers.card("point", 4, 3, 2, T, "linear");
  private static final ModelCard GAUSS = ExactDenoisers.card("gauss", 2, 2, 1, T, "cosine");
  private static final float[] X0_V1 = random(24, 1);
  private static final float[] X0_V2 = random(24, 2);

  @TempDir static Path root;

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  private DenoiserServiceBlockingStub stub;

  @BeforeAll
  static void publishModels() throws IOException {
    ModelRepository repository = new ModelRepository(root);
    ExactDenoisers.publishPointMass(repository, POINT, X0_V1);
    ExactDenoisers.publishPointMass(repository, POINT, X0_V2);
    ExactDenoisers.publishGaussian(repository, GAUSS, 0.5f, 0.25f);
    repository.publish("broken", POINT.withName("broken")::write);
    ModelCard wrongShape = ExactDenoisers.card("mismatched", 4, 4, 2, T, "linear");
    repository.publish("mismatched", dir -> {
      ExactDenoisers.exportPointMass(dir, POINT, X0_V1);
      wrongShape.write(dir);
    });
    Files.createDirectories(root.resolve("empty"));
    ModelCard formats = POINT.withName("formats");
    ExactDenoisers.publishPointMass(repository, formats, X0_V1);
    ModelCard onnx = new ModelCard(formats.name(), formats.imageShape(), formats.timesteps(), formats.schedule(),
        formats.prediction(), "onnx", null);
    repository.publish(onnx.name(), dir -> {
      ExactDenoisers.exportPointMass(dir, formats, X0_V2);
      onnx.write(dir);
    });
  }

  @BeforeEach
  void startServer() throws IOException {
    ServerRunner server = grpc.register(
        DenoiserServer.start(new DenoiserConfig(Endpoint.loopback(), root, BATCHING,
            Duration.ofMinutes(1), Duration.ofMinutes(1), MAX_IMAGES_PER_CALL)));
    stub = DenoiserServiceGrpc.newBlockingStub(grpc.channelTo(server));
  }

  private DenoiserServiceBlockingStub call() {
    return stub.withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 16})
  void predictsTheExactNoiseForMixedTimesteps(int n) {
    float[] xt = random(n * 24, 10 + n);
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = (i * 37 + 99) % T;
    }
    PredictNoiseResponse response = call().predictNoise(request(POINT, 1, xt, t));
    assertEquals(1, response.getVersion());
    assertEquals(List.of((long) n, 4L, 3L, 2L), response.getEps().getShapeList());
    float[] expected = ExactEps.pointMass(NoiseSchedule.of(ScheduleKind.LINEAR, T), X0_V1).predict(xt, t);
    assertAllClose(expected, TensorCodec.toFloats(response.getEps(), "eps"), 1e-4, 1e-4);
  }

  @Test
  void theStreamAnswersEachRequestInOrderAsUnaryCallsDoAndEndsAtTheFirstBadOne() throws Exception {
    List<PredictNoiseRequest> requests = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int n = 1 + i % 3;
      int[] t = new int[n];
      Arrays.fill(t, (13 * i) % T);
      requests.add(request(POINT, 1 + i % 2, random(n * 24, 40 + i), t));
    }
    requests.add(request(POINT, 1, new float[24], new int[] {T}));
    requests.add(request(POINT, 1, new float[24], new int[] {0}));

    List<PredictNoiseResponse> replies = new ArrayList<>();
    CompletableFuture<Status> end = new CompletableFuture<>();
    StreamObserver<PredictNoiseRequest> stream = DenoiserServiceGrpc.newStub(stub.getChannel())
        .withDeadlineAfter(1, TimeUnit.MINUTES)
        .predictNoiseStream(new StreamObserver<>() {
          @Override
          public void onNext(PredictNoiseResponse reply) {
            replies.add(reply);
          }

          @Override
          public void onError(Throwable error) {
            end.complete(Status.fromThrowable(error));
          }

          @Override
          public void onCompleted() {
            end.complete(Status.OK);
          }
        });
    requests.forEach(stream::onNext);
    stream.onCompleted();

    Status status = end.get(1, TimeUnit.MINUTES);
    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
    assertTrue(status.getDescription().startsWith("t:"), status.getDescription());
    assertEquals(6, replies.size(), "the six good requests before the bad one are answered");
    for (int i = 0; i < 6; i++) {
      PredictNoiseResponse unary = call().predictNoise(requests.get(i));
      assertEquals(unary.getVersion(), replies.get(i).getVersion(), "reply " + i);
      assertEquals(unary.getEps().getShapeList(), replies.get(i).getEps().getShapeList(), "reply " + i);
      // The stream's requests may share engine calls, which may round differently from a call alone.
      assertAllClose(TensorCodec.toFloats(unary.getEps(), "eps"), TensorCodec.toFloats(replies.get(i).getEps(), "eps"),
          1e-5, 1e-5);
    }
  }

  @Test
  void versionZeroIsTheHighest() {
    float[] xt = random(48, 3);
    int[] t = {5, 80};
    PredictNoiseResponse response = call().predictNoise(request(POINT, 0, xt, t));
    assertEquals(2, response.getVersion());
    assertEquals("point", response.getModel());
    float[] expected = ExactEps.pointMass(NoiseSchedule.of(ScheduleKind.LINEAR, T), X0_V2).predict(xt, t);
    assertAllClose(expected, TensorCodec.toFloats(response.getEps(), "eps"), 1e-4, 1e-4);
  }

  @Test
  void servesTheGaussianDenoiser() {
    float[] xt = random(12, 4);
    int[] t = {0, 50, 99};
    PredictNoiseResponse response = call().predictNoise(request(GAUSS, 0, xt, t));
    float[] mean = new float[4];
    float[] std = new float[4];
    Arrays.fill(mean, 0.5f);
    Arrays.fill(std, 0.25f);
    float[] expected = ExactEps.gaussian(NoiseSchedule.of(ScheduleKind.COSINE, T), mean, std).predict(xt, t);
    assertAllClose(expected, TensorCodec.toFloats(response.getEps(), "eps"), 1e-4, 1e-4);
  }

  @Test
  void listsModelsWithTheirVersions() {
    List<ModelVersions> models = call().listModels(ListModelsRequest.getDefaultInstance()).getModelsList();
    assertEquals(List.of("broken", "formats", "gauss", "mismatched", "point"),
        models.stream().map(ModelVersions::getName).toList());
    ModelVersions point = models.get(4);
    assertEquals(List.of(1L, 2L), point.getVersionsList());
    assertEquals(2, point.getDefaultVersion());
  }

  @Test
  void describesAModelVersion() {
    ModelInfo info = call().getModelInfo(GetModelInfoRequest.newBuilder().setModel("gauss").build());
    assertEquals("gauss", info.getName());
    assertEquals(1, info.getVersion());
    assertEquals(List.of(2, 2, 1), info.getImageShapeList());
    assertEquals(T, info.getTimesteps());
    assertEquals("cosine", info.getSchedule());
    assertEquals("epsilon", info.getPrediction());
    assertEquals(GAUSS, ModelCard.fromJson(JsonParser.parseString(info.getCardJson()).getAsJsonObject()));
  }

  @Test
  void concurrentCallsAtMixedTimestepsEachGetTheirOwnUnbatchedResult() {
    // 12 images in all, within the queue's 16, so no call is refused however they interleave.
    int callers = 8;
    List<float[]> inputs = new ArrayList<>();
    List<int[]> timesteps = new ArrayList<>();
    List<float[]> alone = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      int n = 1 + i % 2;
      inputs.add(random(n * 24, 100 + i));
      int[] t = new int[n];
      for (int j = 0; j < n; j++) {
        t[j] = (17 * i + 29 * j) % T;
      }
      timesteps.add(t);
      alone.add(TensorCodec.toFloats(call().predictNoise(request(POINT, 1, inputs.get(i), t)).getEps(), "eps"));
    }
    ExecutorService threads = Executors.newFixedThreadPool(callers);
    grpc.register((AutoCloseable) threads::shutdownNow);
    List<CompletableFuture<PredictNoiseResponse>> together = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      int k = i;
      together.add(CompletableFuture.supplyAsync(
          () -> call().predictNoise(request(POINT, 1, inputs.get(k), timesteps.get(k))), threads));
    }
    for (int i = 0; i < callers; i++) {
      assertAllClose(alone.get(i), TensorCodec.toFloats(together.get(i).join().getEps(), "eps"), 1e-5, 1e-5);
    }
  }

  @Test
  void refusesAWrongDtype() {
    Tensor asInts = TensorCodec.int32(new int[24], 1, 4, 3, 2);
    assertRefused(Status.Code.INVALID_ARGUMENT, "x_t", r -> r.setXT(asInts));
  }

  @Test
  void refusesDataThatDoesNotFillTheShape() {
    Tensor xt = TensorCodec.float32(new float[24], 1, 4, 3, 2).toBuilder()
        .setData(ByteString.copyFrom(new byte[95])).build();
    assertRefused(Status.Code.INVALID_ARGUMENT, "x_t", r -> r.setXT(xt));
  }

  @Test
  void refusesImagesOfAnotherSize() {
    assertRefused(Status.Code.INVALID_ARGUMENT, "x_t", r -> r.setXT(TensorCodec.float32(new float[24], 1, 3, 4, 2)));
    assertRefused(Status.Code.INVALID_ARGUMENT, "x_t", r -> r.setXT(TensorCodec.float32(new float[12], 1, 4, 3, 1)));
    assertRefused(Status.Code.INVALID_ARGUMENT, "x_t", r -> r.setXT(TensorCodec.float32(new float[24], 4, 3, 2)));
  }

  @Test
  void refusesNonFiniteValues() {
    float[] xt = new float[24];
    xt[7] = Float.NaN;
    assertRefused(Status.Code.INVALID_ARGUMENT, "x_t", r -> r.setXT(TensorCodec.float32(xt, 1, 4, 3, 2)));
    xt[7] = Float.POSITIVE_INFINITY;
    assertRefused(Status.Code.INVALID_ARGUMENT, "x_t", r -> r.setXT(TensorCodec.float32(xt, 1, 4, 3, 2)));
  }

  /** A finite 3e38 once made the network answer an all-NaN ε with OK. */
  @Test
  void refusesValuesBeyondWhatANetworkTakes() {
    float[] xt = new float[24];
    xt[7] = 3e38f;
    assertRefused(Status.Code.INVALID_ARGUMENT, "x_t: values must be finite and within ±10000",
        r -> r.setXT(TensorCodec.float32(xt, 1, 4, 3, 2)));
    xt[7] = -10001;
    assertRefused(Status.Code.INVALID_ARGUMENT, "element 7 is -10001", r -> r.setXT(TensorCodec.float32(xt, 1, 4, 3, 2)));
    xt[7] = EpsContract.MAX_ABS_X_T;
    assertEquals(24, call().predictNoise(request(POINT, 1, xt, new int[] {3})).getEps().getData().size() / 4);
  }

  @Test
  void refusesTimestepsOutOfRange() {
    assertRefused(Status.Code.INVALID_ARGUMENT, "t", r -> r.setT(TensorCodec.int32(new int[] {T}, 1)));
    assertRefused(Status.Code.INVALID_ARGUMENT, "t", r -> r.setT(TensorCodec.int32(new int[] {-1}, 1)));
  }

  @Test
  void refusesATimestepCountThatDoesNotMatchTheBatch() {
    assertRefused(Status.Code.INVALID_ARGUMENT, "t", r -> r.setT(TensorCodec.int32(new int[] {0, 1}, 2)));
  }

  @Test
  void refusesBatchesLargerThanTheQueueAndEmptyBatches() {
    int n = BATCHING.queueCapacity() + 1;
    assertRefused(Status.Code.INVALID_ARGUMENT, "x_t", r -> r
        .setXT(TensorCodec.float32(new float[n * 24], n, 4, 3, 2))
        .setT(TensorCodec.int32(new int[n], n)));
    assertRefused(Status.Code.INVALID_ARGUMENT, "x_t", r -> r
        .setXT(TensorCodec.float32(new float[0], 0, 4, 3, 2))
        .setT(TensorCodec.int32(new int[0], 0)));
  }

  /** The bound is per call and a matter of the request: INVALID_ARGUMENT naming x_t, not a busy denoiser. */
  @Test
  void refusesCallsOfMoreImagesThanTheBoundPerCall() {
    int n = MAX_IMAGES_PER_CALL;
    assertEquals(List.of((long) n, 4L, 3L, 2L), call().predictNoise(request(POINT, 1, new float[n * 24], new int[n]))
        .getEps().getShapeList());
    assertRefused(Status.Code.INVALID_ARGUMENT, "x_t: batch size N must be at most 16 images per call, got 17", r -> r
        .setXT(TensorCodec.float32(new float[(n + 1) * 24], n + 1, 4, 3, 2))
        .setT(TensorCodec.int32(new int[n + 1], n + 1)));
  }

  @Test
  void unknownModelsAndVersionsAreNotFound() {
    assertRefused(Status.Code.NOT_FOUND, "unknown", r -> r.setModel("unknown"));
    assertRefused(Status.Code.NOT_FOUND, "empty", r -> r.setModel("empty"));
    assertRefused(Status.Code.NOT_FOUND, "version", r -> r.setVersion(3));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> call().getModelInfo(GetModelInfoRequest.newBuilder().setModel("point").setVersion(9).build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  @Test
  void refusesAMissingModelName() {
    assertRefused(Status.Code.INVALID_ARGUMENT, "model", r -> r.setModel(""));
  }

  @Test
  void aBrokenVersionFailsClearlyAndTheServerKeepsServing() {
    assertRefused(Status.Code.FAILED_PRECONDITION, "saved_model.pb", r -> r.setModel("broken"));
    assertRefused(Status.Code.FAILED_PRECONDITION, "x_t", r -> r.setModel("mismatched"));
    assertEquals(2, call().predictNoise(request(POINT, 0, new float[24], new int[] {0})).getVersion());
  }

  @Test
  void aVersionInAFormatWithoutALoaderIsRefusedAndThePreviousKeepsServing() {
    assertRefused(Status.Code.FAILED_PRECONDITION, "format \"onnx\" is not one this denoiser serves; it serves ["
        + EpsContract.TENSORFLOW_SAVED_MODEL + "]", r -> r.setModel("formats").setVersion(2));
    float[] xt = random(24, 5);
    int[] t = {42};
    PredictNoiseResponse response = call().predictNoise(request(POINT.withName("formats"), 0, xt, t));
    assertEquals(1, response.getVersion());
    float[] expected = ExactEps.pointMass(NoiseSchedule.of(ScheduleKind.LINEAR, T), X0_V1).predict(xt, t);
    assertAllClose(expected, TensorCodec.toFloats(response.getEps(), EpsContract.EPS), 1e-4, 1e-4);
  }

  /** Sends a valid one-image request to point v1 after {@code edit}, and checks the refusal. */
  private void assertRefused(Status.Code code, String inMessage, UnaryOperator<PredictNoiseRequest.Builder> edit) {
    PredictNoiseRequest request = edit.apply(request(POINT, 1, new float[24], new int[] {3}).toBuilder()).build();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> call().predictNoise(request));
    assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    String description = String.valueOf(e.getStatus().getDescription());
    assertTrue(description.contains(inMessage), "\"" + inMessage + "\" not in: " + description);
  }

  private static PredictNoiseRequest request(ModelCard card, long version, float[] xt, int[] t) {
    return PredictNoiseRequest.newBuilder()
        .setModel(card.name())
        .setVersion(version)
        .setXT(TensorCodec.float32(xt, t.length, card.height(), card.width(), card.channels()))
        .setT(TensorCodec.int32(t, t.length))
        .build();
  }

  static float[] random(int size, long seed) {
    Random random = new Random(seed);
    float[] out = new float[size];
    for (int k = 0; k < out.length; k++) {
      out[k] = (float) random.nextGaussian();
    }
    return out;
  }
}
