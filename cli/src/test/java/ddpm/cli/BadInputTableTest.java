package ddpm.cli;

import static ddpm.cli.ExposedSuite.BROKEN;
import static ddpm.cli.ExposedSuite.LABELLED;
import static ddpm.cli.ExposedSuite.POINT;
import static ddpm.cli.ExposedSuite.SIDE;
import static ddpm.cli.ExposedSuite.T;
import static io.grpc.Status.Code.FAILED_PRECONDITION;
import static io.grpc.Status.Code.INVALID_ARGUMENT;
import static io.grpc.Status.Code.NOT_FOUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import ddpm.api.v1.CancelJobRequest;
import ddpm.api.v1.DType;
import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.GetJobRequest;
import ddpm.api.v1.GetModelInfoRequest;
import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.ListModelsRequest;
import ddpm.api.v1.ListModelsResponse;
import ddpm.api.v1.LoadModelRequest;
import ddpm.api.v1.ModelControlServiceGrpc;
import ddpm.api.v1.ModelInfo;
import ddpm.api.v1.PredictNoiseRequest;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.api.v1.StartTrainingRequest;
import ddpm.api.v1.Tensor;
import ddpm.api.v1.TrainerServiceGrpc;
import ddpm.api.v1.UnloadModelRequest;
import ddpm.api.v1.VersionStatus;
import ddpm.api.v1.WatchJobRequest;
import ddpm.grpc.TensorCodec;
import ddpm.testing.RawCalls;
import ddpm.testing.Slow;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on every RPC of every service, each answered with the status it must have and a message that names
 * the field the caller got wrong, and none breaking {@link ErrorContract}. Each row was either a way to get
 * UNKNOWN, INTERNAL, a 9,000-character echo or a server path once, or the plain refusal beside it.
 */
@Slow
class BadInputTableTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final byte[] GARBAGE = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
  private static final String LONG = "n".repeat(9000);

  @TempDir static Path dir;
  private static ExposedSuite suite;

  @BeforeAll
  static void start() throws IOException {
    suite = new ExposedSuite(dir);
  }

  @AfterAll
  static void stop() {
    suite.close();
  }

  /** One call: its requests as sent, the status it must end with, and the field its message must name. */
  private record Case(String name, MethodDescriptor<?, ?> method, List<byte[]> requests, Status.Code code,
      String field) {}

  private final List<Case> cases = new ArrayList<>();

  private void refused(String name, MethodDescriptor<?, ?> method, Status.Code code, String field,
      MessageLite... requests) {
    cases.add(new Case(name, method, Arrays.stream(requests).map(MessageLite::toByteArray).toList(), code, field));
  }

  /** Bytes that are no message, and a unary call without its request or with two: on every RPC. */
  private void malformed() {
    for (MethodDescriptor<?, ?> method : ExposedSuite.methods()) {
      String name = method.getBareMethodName();
      cases.add(new Case(name + ": undecodable bytes", method, List.of(GARBAGE), INVALID_ARGUMENT, "request"));
      if (method.getType().clientSendsOneMessage()) {
        cases.add(new Case(name + ": no request", method, List.of(), INVALID_ARGUMENT, "request"));
        cases.add(new Case(name + ": two requests", method, List.of(new byte[0], new byte[0]), INVALID_ARGUMENT,
            "request"));
      }
    }
  }

  private void schedules() {
    var m = ScheduleServiceGrpc.getGetScheduleMethod();
    UnaryOperator<GetScheduleRequest.Builder> valid = r -> r.setKind("linear").setTimesteps(T);
    refused("kind empty", m, INVALID_ARGUMENT, "kind", valid.apply(GetScheduleRequest.newBuilder()).setKind("").build());
    refused("kind unknown", m, INVALID_ARGUMENT, "kind",
        valid.apply(GetScheduleRequest.newBuilder()).setKind("quadratic").build());
    refused("kind 9,000 characters", m, INVALID_ARGUMENT, "kind",
        valid.apply(GetScheduleRequest.newBuilder()).setKind(LONG).build());
    refused("timesteps 0", m, INVALID_ARGUMENT, "timesteps",
        valid.apply(GetScheduleRequest.newBuilder()).setTimesteps(0).build());
    refused("timesteps above the maximum", m, INVALID_ARGUMENT, "timesteps",
        valid.apply(GetScheduleRequest.newBuilder()).setTimesteps(100_001).build());
    refused("respace_steps negative", m, INVALID_ARGUMENT, "respace_steps",
        valid.apply(GetScheduleRequest.newBuilder()).setRespaceSteps(-1).build());
    refused("respace_steps above T", m, INVALID_ARGUMENT, "respace_steps",
        valid.apply(GetScheduleRequest.newBuilder()).setRespaceSteps(T + 1).build());
  }

  private static PredictNoiseRequest.Builder predict() {
    return PredictNoiseRequest.newBuilder().setModel(POINT)
        .setXT(TensorCodec.float32(new float[SIDE * SIDE], 1, SIDE, SIDE, 1)).setT(TensorCodec.int32(new int[] {3}, 1));
  }

  private static Tensor xt(float value) {
    float[] values = new float[SIDE * SIDE];
    values[5] = value;
    return TensorCodec.float32(values, 1, SIDE, SIDE, 1);
  }

  private static Tensor shaped(DType dtype, long... shape) {
    return Tensor.newBuilder().setDtype(dtype).addAllShape(Arrays.stream(shape).boxed().toList()).build();
  }

  private void noisePredictions() {
    var m = DenoiserServiceGrpc.getPredictNoiseMethod();
    refused("model empty", m, INVALID_ARGUMENT, "model", predict().setModel("").build());
    refused("model 9,000 characters", m, INVALID_ARGUMENT, "model", predict().setModel(LONG).build());
    refused("model a path", m, INVALID_ARGUMENT, "model", predict().setModel("../models").build());
    refused("model unknown", m, NOT_FOUND, "model", predict().setModel("nothing").build());
    refused("model refused at load", m, FAILED_PRECONDITION, "model", predict().setModel(BROKEN).build());
    refused("version negative", m, INVALID_ARGUMENT, "version", predict().setVersion(-1).build());
    refused("version absent", m, NOT_FOUND, "version", predict().setVersion(99).build());
    refused("x_t missing", m, INVALID_ARGUMENT, "x_t", predict().clearXT().build());
    refused("x_t int32", m, INVALID_ARGUMENT, "x_t",
        predict().setXT(TensorCodec.int32(new int[SIDE * SIDE], 1, SIDE, SIDE, 1)).build());
    refused("x_t shape overflows", m, INVALID_ARGUMENT, "x_t",
        predict().setXT(shaped(DType.FLOAT32, 1L << 32, 1L << 32, 1L << 32)).build());
    refused("x_t negative dimension", m, INVALID_ARGUMENT, "x_t",
        predict().setXT(shaped(DType.FLOAT32, 1, -4, SIDE, 1)).build());
    refused("x_t data short", m, INVALID_ARGUMENT, "x_t",
        predict().setXT(xt(0).toBuilder().setData(ByteString.copyFrom(new byte[63]))).build());
    refused("x_t rank 3", m, INVALID_ARGUMENT, "x_t",
        predict().setXT(TensorCodec.float32(new float[SIDE * SIDE], SIDE, SIDE, 1)).build());
    refused("x_t no image", m, INVALID_ARGUMENT, "x_t",
        predict().setXT(TensorCodec.float32(new float[0], 0, SIDE, SIDE, 1)).setT(TensorCodec.int32(new int[0], 0))
            .build());
    refused("x_t another image size", m, INVALID_ARGUMENT, "x_t",
        predict().setXT(TensorCodec.float32(new float[25], 1, 5, 5, 1)).build());
    refused("x_t 3e38", m, INVALID_ARGUMENT, "x_t", predict().setXT(xt(3e38f)).build());
    refused("x_t NaN", m, INVALID_ARGUMENT, "x_t", predict().setXT(xt(Float.NaN)).build());
    Tensor.Builder ones = Tensor.newBuilder().setDtype(DType.FLOAT32).setData(ByteString.copyFrom(new byte[4]));
    for (int i = 0; i < 100_000; i++) {
      ones.addShape(1);
    }
    refused("x_t of 100,000 dimensions", m, INVALID_ARGUMENT, "x_t", predict().setXT(ones).build());
    refused("t for two images", m, INVALID_ARGUMENT, "t", predict().setT(TensorCodec.int32(new int[2], 2)).build());
    refused("t float32", m, INVALID_ARGUMENT, "t", predict().setT(TensorCodec.float32(new float[1], 1)).build());
    refused("t = T", m, INVALID_ARGUMENT, "t", predict().setT(TensorCodec.int32(new int[] {T}, 1)).build());
    refused("t negative", m, INVALID_ARGUMENT, "t", predict().setT(TensorCodec.int32(new int[] {-1}, 1)).build());
    Tensor label = TensorCodec.int32(new int[] {1}, 1);
    refused("inputs a network does not take", m, INVALID_ARGUMENT, "inputs[\"z\"]",
        predict().putInputs("z", label).build());
    refused("inputs key 9,000 characters", m, INVALID_ARGUMENT, "inputs[\"nnn",
        predict().putInputs(LONG, label).build());
    refused("inputs missing the label", m, INVALID_ARGUMENT, "inputs[\"y\"]", predict().setModel(LABELLED).build());
    refused("inputs label float32", m, INVALID_ARGUMENT, "inputs[\"y\"]",
        predict().setModel(LABELLED).putInputs("y", TensorCodec.float32(new float[1], 1)).build());
    refused("inputs label for two images", m, INVALID_ARGUMENT, "inputs[\"y\"]",
        predict().setModel(LABELLED).putInputs("y", TensorCodec.int32(new int[2], 2)).build());

    var stream = DenoiserServiceGrpc.getPredictNoiseStreamMethod();
    refused("stream: x_t 3e38", stream, INVALID_ARGUMENT, "x_t", predict().setXT(xt(3e38f)).build());
    refused("stream: model empty", stream, INVALID_ARGUMENT, "model", predict().setModel("").build());
    refused("stream: a good request then t = T", stream, INVALID_ARGUMENT, "t", predict().build(),
        predict().setT(TensorCodec.int32(new int[] {T}, 1)).build());
    cases.add(new Case("stream: a good request then undecodable bytes", stream,
        List.of(predict().build().toByteArray(), GARBAGE), INVALID_ARGUMENT, "request"));
  }

  private void modelInfoAndControl() {
    var info = DenoiserServiceGrpc.getGetModelInfoMethod();
    refused("info: model empty", info, INVALID_ARGUMENT, "model", GetModelInfoRequest.newBuilder().build());
    refused("info: model 9,000 characters", info, INVALID_ARGUMENT, "model",
        GetModelInfoRequest.newBuilder().setModel(LONG).build());
    refused("info: model unknown", info, NOT_FOUND, "model", GetModelInfoRequest.newBuilder().setModel("x").build());
    refused("info: version negative", info, INVALID_ARGUMENT, "version",
        GetModelInfoRequest.newBuilder().setModel(POINT).setVersion(-1).build());
    refused("info: version absent", info, NOT_FOUND, "version",
        GetModelInfoRequest.newBuilder().setModel(POINT).setVersion(7).build());

    var load = ModelControlServiceGrpc.getLoadModelMethod();
    refused("load: model empty", load, INVALID_ARGUMENT, "model", LoadModelRequest.newBuilder().build());
    refused("load: model unknown", load, NOT_FOUND, "model", LoadModelRequest.newBuilder().setModel("x").build());
    refused("load: version negative", load, INVALID_ARGUMENT, "version",
        LoadModelRequest.newBuilder().setModel(POINT).setVersion(-1).build());
    refused("load: version absent", load, NOT_FOUND, "version",
        LoadModelRequest.newBuilder().setModel(POINT).setVersion(9).build());
    refused("load: a version that cannot serve", load, FAILED_PRECONDITION, "model",
        LoadModelRequest.newBuilder().setModel(BROKEN).setVersion(1).build());

    var unload = ModelControlServiceGrpc.getUnloadModelMethod();
    refused("unload: version 0", unload, INVALID_ARGUMENT, "version",
        UnloadModelRequest.newBuilder().setModel(POINT).build());
    refused("unload: model empty", unload, INVALID_ARGUMENT, "model",
        UnloadModelRequest.newBuilder().setVersion(1).build());
    refused("unload: model 9,000 characters", unload, INVALID_ARGUMENT, "model",
        UnloadModelRequest.newBuilder().setModel(LONG).setVersion(1).build());
    refused("unload: model unknown", unload, NOT_FOUND, "model",
        UnloadModelRequest.newBuilder().setModel("x").setVersion(1).build());
  }

  private static SampleRequest.Builder sample() {
    return SampleRequest.newBuilder().setModel(POINT).setNumImages(2).setSeed(1).setSteps(5);
  }

  private static Tensor noise(float value) {
    float[] values = new float[2 * SIDE * SIDE];
    values[3] = value;
    return TensorCodec.float32(values, 2, SIDE, SIDE, 1);
  }

  private void samples() {
    var m = SamplerServiceGrpc.getSampleMethod();
    refused("sample: model empty", m, INVALID_ARGUMENT, "model", sample().setModel("").build());
    refused("sample: model 9,000 characters", m, INVALID_ARGUMENT, "model", sample().setModel(LONG).build());
    refused("sample: model unknown", m, NOT_FOUND, "model", sample().setModel("nothing").build());
    refused("sample: model refused at load", m, FAILED_PRECONDITION, "model", sample().setModel(BROKEN).build());
    refused("sample: num_images 0", m, INVALID_ARGUMENT, "num_images", sample().setNumImages(0).build());
    refused("sample: num_images above the maximum", m, INVALID_ARGUMENT, "num_images",
        sample().setNumImages(100_000).build());
    refused("sample: version negative", m, INVALID_ARGUMENT, "version", sample().setVersion(-1).build());
    refused("sample: steps negative", m, INVALID_ARGUMENT, "steps", sample().setSteps(-1).build());
    refused("sample: steps above T", m, INVALID_ARGUMENT, "steps", sample().setSteps(T + 1).build());
    refused("sample: eta NaN", m, INVALID_ARGUMENT, "eta", sample().setEta(Double.NaN).build());
    refused("sample: eta 2", m, INVALID_ARGUMENT, "eta", sample().setEta(2).build());
    refused("sample: sampler unknown", m, INVALID_ARGUMENT, "sampler", sample().setSamplerValue(99).build());
    refused("sample: variance unknown", m, INVALID_ARGUMENT, "variance", sample().setVarianceValue(99).build());
    refused("sample: initial_noise int32", m, INVALID_ARGUMENT, "initial_noise",
        sample().setInitialNoise(TensorCodec.int32(new int[2 * SIDE * SIDE], 2, SIDE, SIDE, 1)).build());
    refused("sample: initial_noise for one image", m, INVALID_ARGUMENT, "initial_noise",
        sample().setInitialNoise(TensorCodec.float32(new float[SIDE * SIDE], 1, SIDE, SIDE, 1)).build());
    refused("sample: initial_noise 3e38", m, INVALID_ARGUMENT, "initial_noise",
        sample().setInitialNoise(noise(3e38f)).build());
    refused("sample: initial_noise NaN", m, INVALID_ARGUMENT, "initial_noise",
        sample().setInitialNoise(noise(Float.NaN)).build());
    refused("sample: initial_noise shape overflows", m, INVALID_ARGUMENT, "initial_noise",
        sample().setInitialNoise(shaped(DType.FLOAT32, Long.MAX_VALUE, 2)).build());
    refused("sample: image_offset negative", m, INVALID_ARGUMENT, "image_offset", sample().setImageOffset(-1).build());
    refused("sample: image_offset past the last image", m, INVALID_ARGUMENT, "image_offset",
        sample().setImageOffset(Long.MAX_VALUE).build());
  }

  private static StartTrainingRequest.Builder training() {
    return StartTrainingRequest.newBuilder().setDataset("folder:sprites").setModelName("m").setSteps(1)
        .setBatchSize(1).setLearningRate(1e-3).setSchedule("linear").setTimesteps(T);
  }

  private void training(String name, Status.Code code, String field, UnaryOperator<StartTrainingRequest.Builder> edit) {
    refused("training: " + name, TrainerServiceGrpc.getStartTrainingMethod(), code, field,
        edit.apply(training()).build());
  }

  private void trainingJobs() {
    training("dataset empty", INVALID_ARGUMENT, "dataset", r -> r.setDataset(""));
    training("dataset unknown", INVALID_ARGUMENT, "dataset", r -> r.setDataset("cifar"));
    training("dataset not downloaded", FAILED_PRECONDITION, "dataset", r -> r.setDataset("mnist"));
    training("dataset an absolute folder", INVALID_ARGUMENT, "dataset", r -> r.setDataset("folder:/root"));
    training("dataset a folder above the root", INVALID_ARGUMENT, "dataset", r -> r.setDataset("folder:../models"));
    training("dataset a missing folder", INVALID_ARGUMENT, "dataset", r -> r.setDataset("folder:missing"));
    training("dataset an empty folder", INVALID_ARGUMENT, "dataset", r -> r.setDataset("folder:empty"));
    training("dataset a folder of no PNGs", INVALID_ARGUMENT, "dataset", r -> r.setDataset("folder:."));
    training("dataset 9,000 characters", INVALID_ARGUMENT, "dataset", r -> r.setDataset("folder:" + LONG));
    training("model_name empty", INVALID_ARGUMENT, "model_name", r -> r.setModelName(""));
    training("model_name a path", INVALID_ARGUMENT, "model_name", r -> r.setModelName("../m"));
    training("model_name 9,000 characters", INVALID_ARGUMENT, "model_name", r -> r.setModelName(LONG));
    training("steps 0", INVALID_ARGUMENT, "steps", r -> r.setSteps(0));
    training("batch_size 0", INVALID_ARGUMENT, "batch_size", r -> r.setBatchSize(0));
    training("batch_size above the maximum", INVALID_ARGUMENT, "batch_size", r -> r.setBatchSize(5000));
    training("learning_rate 0", INVALID_ARGUMENT, "learning_rate", r -> r.setLearningRate(0));
    training("learning_rate NaN", INVALID_ARGUMENT, "learning_rate", r -> r.setLearningRate(Double.NaN));
    training("schedule unknown", INVALID_ARGUMENT, "schedule", r -> r.setSchedule("quadratic"));
    training("timesteps negative", INVALID_ARGUMENT, "timesteps", r -> r.setTimesteps(-1));
    training("checkpoint_every negative", INVALID_ARGUMENT, "checkpoint_every", r -> r.setCheckpointEvery(-1));
    training("ema_decay 1", INVALID_ARGUMENT, "ema_decay", r -> r.setEmaDecay(1));
    training("warmup_steps negative", INVALID_ARGUMENT, "warmup_steps", r -> r.setWarmupSteps(-1));
    training("grad_clip_norm negative", INVALID_ARGUMENT, "grad_clip_norm", r -> r.setGradClipNorm(-1));
    training("p2_gamma negative", INVALID_ARGUMENT, "p2_gamma", r -> r.setP2Gamma(-1));
    training("p2_k without p2_gamma", INVALID_ARGUMENT, "p2_k", r -> r.setP2K(1));
    training("architecture unknown", INVALID_ARGUMENT, "network.architecture",
        r -> r.setNetwork(r.getNetworkBuilder().setArchitecture("transformer")));
    training("base_channels 1", INVALID_ARGUMENT, "network.base_channels",
        r -> r.setNetwork(r.getNetworkBuilder().setBaseChannels(1)));
    training("channel_mult 0", INVALID_ARGUMENT, "network.channel_mult",
        r -> r.setNetwork(r.getNetworkBuilder().addChannelMult(0)));
    training("num_res_blocks 9", INVALID_ARGUMENT, "network.num_res_blocks",
        r -> r.setNetwork(r.getNetworkBuilder().setNumResBlocks(9)));
    training("dropout 1", INVALID_ARGUMENT, "network.dropout", r -> r.setNetwork(r.getNetworkBuilder().setDropout(1)));
    training("init_from_model unknown", NOT_FOUND, "init_from_model", r -> r.setInitFromModel("nothing"));
    training("init_from_version negative", INVALID_ARGUMENT, "init_from_version",
        r -> r.setInitFromModel(POINT).setInitFromVersion(-1));
    training("resume without a checkpoint", FAILED_PRECONDITION, "resume", r -> r.setResume(true));

    for (var m : List.of(TrainerServiceGrpc.getWatchJobMethod(), TrainerServiceGrpc.getGetJobMethod(),
        TrainerServiceGrpc.getCancelJobMethod())) {
      for (String id : List.of("", "no-such-job", LONG)) {
        refused(m.getBareMethodName() + ": job_id of " + id.length() + " characters", m, NOT_FOUND, "job_id",
            jobRequest(m, id));
      }
    }
  }

  private static MessageLite jobRequest(MethodDescriptor<?, ?> method, String id) {
    return switch (method.getBareMethodName()) {
      case "WatchJob" -> WatchJobRequest.newBuilder().setJobId(id).build();
      case "GetJob" -> GetJobRequest.newBuilder().setJobId(id).build();
      default -> CancelJobRequest.newBuilder().setJobId(id).build();
    };
  }

  private List<Case> table() {
    malformed();
    schedules();
    noisePredictions();
    modelInfoAndControl();
    samples();
    trainingJobs();
    return cases;
  }

  @Test
  void theTableCoversEveryRpcOfEveryService() {
    List<Case> table = table();
    assertTrue(table.size() >= 80, table.size() + " cases");
    Set<String> covered = table.stream().map(c -> c.method().getFullMethodName()).collect(Collectors.toSet());
    assertEquals(ExposedSuite.methods().stream().map(MethodDescriptor::getFullMethodName).collect(Collectors.toSet()),
        covered);
  }

  @TestFactory
  Stream<DynamicTest> eachBadRequestGetsItsStatusAndNamesItsField() {
    return table().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      Status status = RawCalls.call(suite.channel(c.method()), c.method(), c.requests(), DEADLINE).status();
      assertEquals(c.code(), status.getCode(), c.name() + ": " + status);
      String description = String.valueOf(status.getDescription());
      assertTrue(description.contains(c.field()), c.name() + ": \"" + c.field() + "\" not in: " + description);
      assertEquals(List.of(), ErrorContract.breaches(status, suite.root()), c.name() + ": " + description);
    }));
  }

  /** A version refused at load is listed with its reason, which names its folder as the repository does. */
  @Test
  void listModelsNamesARefusedVersionsFolderRelativeToTheRepository() throws Exception {
    var load = ModelControlServiceGrpc.getLoadModelMethod();
    RawCalls.call(suite.channel(load), load,
        List.of(LoadModelRequest.newBuilder().setModel(BROKEN).setVersion(1).build().toByteArray()), DEADLINE);
    var list = DenoiserServiceGrpc.getListModelsMethod();
    byte[] reply = RawCalls.call(suite.channel(list), list, List.of(ListModelsRequest.getDefaultInstance()
        .toByteArray()), DEADLINE).replies().get(0);
    VersionStatus broken = ListModelsResponse.parseFrom(reply).getModelsList().stream()
        .filter(model -> model.getName().equals(BROKEN)).findFirst().orElseThrow().getStatuses(0);
    assertTrue(broken.getReason().contains("broken/1: no saved_model.pb"), broken.getReason());
    assertTrue(!broken.getReason().contains(dir.toString()), broken.getReason());

    var info = DenoiserServiceGrpc.getGetModelInfoMethod();
    byte[] card = RawCalls.call(suite.channel(info), info,
        List.of(GetModelInfoRequest.newBuilder().setModel(POINT).build().toByteArray()), DEADLINE).replies().get(0);
    assertTrue(!ModelInfo.parseFrom(card).getCardJson().contains(dir.toString()));
  }
}
