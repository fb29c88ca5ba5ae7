package ddpm.cli;

import static ddpm.cli.ExposedSuite.BROKEN;
import static ddpm.cli.ExposedSuite.LABELLED;
import static ddpm.cli.ExposedSuite.POINT;
import static ddpm.cli.ExposedSuite.SIDE;
import static ddpm.cli.ExposedSuite.T;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import ddpm.api.v1.CancelJobRequest;
import ddpm.api.v1.DType;
import ddpm.api.v1.GetJobRequest;
import ddpm.api.v1.GetModelInfoRequest;
import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.ListModelsRequest;
import ddpm.api.v1.LoadModelRequest;
import ddpm.api.v1.NetworkConfig;
import ddpm.api.v1.PredictNoiseRequest;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.StartTrainingRequest;
import ddpm.api.v1.Tensor;
import ddpm.api.v1.UnloadModelRequest;
import ddpm.api.v1.WatchJobRequest;
import io.grpc.MethodDescriptor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Requests for every RPC of {@link ExposedSuite} as a fuzzer makes them, from one seed: every field at random
 * (values at and past each bound, NaN, huge and odd strings, tensors of any shape and dtype), random bytes, or a
 * valid request with some of its bytes flipped.
 */
final class RandomRequests {
  /** How a call's request bytes are made. */
  enum Kind { FIELDS, BYTES, FLIPPED }

  private static final String LONG = "n".repeat(9000);

  private final SplittableRandom random;
  /** Jobs the trainer took, for the job RPCs to name now and then. */
  private final List<String> jobs = new ArrayList<>();

  RandomRequests(long seed) {
    this.random = new SplittableRandom(seed);
  }

  Kind kind() {
    return Kind.values()[random.nextInt(Kind.values().length)];
  }

  MethodDescriptor<?, ?> method() {
    List<MethodDescriptor<?, ?>> methods = ExposedSuite.methods();
    return methods.get(random.nextInt(methods.size()));
  }

  void jobStarted(String id) {
    jobs.add(id);
  }

  /** The requests of one call of {@code method}: one for most methods, one to three on a stream. */
  List<byte[]> requests(MethodDescriptor<?, ?> method, Kind kind) {
    int count = method.getType().clientSendsOneMessage() ? 1 : 1 + random.nextInt(3);
    List<byte[]> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      requests.add(switch (kind) {
        case FIELDS -> message(method.getBareMethodName(), true).toByteArray();
        case BYTES -> bytes(random.nextInt(200));
        case FLIPPED -> flipped(message(method.getBareMethodName(), false).toByteArray());
      });
    }
    return requests;
  }

  /** A request of the method, its fields at random or, when not {@code wild}, valid. */
  private MessageLite message(String method, boolean wild) {
    return switch (method) {
      case "GetSchedule" -> GetScheduleRequest.newBuilder().setKind(wild ? text() : "linear")
          .setTimesteps(wild ? int32() : T).setRespaceSteps(wild ? int32() : 10).build();
      case "PredictNoise", "PredictNoiseStream" -> wild ? wildPrediction() : validPrediction();
      case "GetModelInfo" -> GetModelInfoRequest.newBuilder().setModel(wild ? text() : POINT)
          .setVersion(wild ? int64() : 0).build();
      case "ListModels" -> ListModelsRequest.getDefaultInstance();
      case "LoadModel" -> LoadModelRequest.newBuilder().setModel(wild ? text() : POINT)
          .setVersion(wild ? int64() : 1).build();
      case "UnloadModel" -> UnloadModelRequest.newBuilder().setModel(wild ? text() : LABELLED)
          .setVersion(wild ? int64() : 1).build();
      case "Sample" -> wild ? wildSample() : SampleRequest.newBuilder().setModel(POINT).setNumImages(2).setSeed(1)
          .setSteps(5).build();
      case "StartTraining" -> wild ? wildTraining() : StartTrainingRequest.newBuilder().setDataset("folder:sprites")
          .setModelName("m").setSteps(1).setBatchSize(1).setLearningRate(1e-3).setSchedule("linear")
          .setTimesteps(T).build();
      case "WatchJob" -> WatchJobRequest.newBuilder().setJobId(jobId()).build();
      case "GetJob" -> GetJobRequest.newBuilder().setJobId(jobId()).build();
      case "CancelJob" -> CancelJobRequest.newBuilder().setJobId(jobId()).build();
      default -> throw new IllegalArgumentException("no requests for " + method);
    };
  }

  private PredictNoiseRequest validPrediction() {
    return PredictNoiseRequest.newBuilder().setModel(POINT).setXT(floats(new long[] {1, SIDE, SIDE, 1}))
        .setT(ints(1)).build();
  }

  private PredictNoiseRequest wildPrediction() {
    PredictNoiseRequest.Builder r = PredictNoiseRequest.newBuilder();
    maybe(() -> r.setModel(text()));
    maybe(() -> r.setVersion(int64()));
    maybe(() -> r.setXT(tensor()));
    maybe(() -> r.setT(tensor()));
    int inputs = random.nextInt(3);
    for (int i = 0; i < inputs; i++) {
      r.putInputs(random.nextBoolean() ? "y" : text(), tensor());
    }
    return r.build();
  }

  private SampleRequest wildSample() {
    SampleRequest.Builder r = SampleRequest.newBuilder();
    maybe(() -> r.setModel(text()));
    maybe(() -> r.setVersion(int64()));
    maybe(() -> r.setNumImages(int32()));
    maybe(() -> r.setSamplerValue(random.nextInt(-1, 6)));
    maybe(() -> r.setVarianceValue(random.nextInt(-1, 6)));
    maybe(() -> r.setSeed(random.nextLong()));
    maybe(() -> r.setIncludePng(random.nextBoolean()));
    maybe(() -> r.setSteps(int32()));
    maybe(() -> r.setEta(float64()));
    maybe(() -> r.setClipDenoised(random.nextBoolean()));
    maybe(() -> r.setInitialNoise(tensor()));
    maybe(() -> r.setImageOffset(int64()));
    return r.build();
  }

  private StartTrainingRequest wildTraining() {
    StartTrainingRequest.Builder r = StartTrainingRequest.newBuilder();
    maybe(() -> r.setDataset(text()));
    maybe(() -> r.setModelName(text()));
    maybe(() -> {
      NetworkConfig.Builder network = r.getNetworkBuilder();
      maybe(() -> network.setArchitecture(text()));
      maybe(() -> network.setBaseChannels(int32()));
      maybe(() -> network.addChannelMult(int32()).addChannelMult(int32()));
      maybe(() -> network.setNumResBlocks(int32()));
      maybe(() -> network.addAttentionResolutions(int32()));
      maybe(() -> network.setDropout(float64()));
    });
    maybe(() -> r.setSteps(int32()));
    maybe(() -> r.setBatchSize(int32()));
    maybe(() -> r.setLearningRate(float64()));
    maybe(() -> r.setSeed(random.nextLong()));
    maybe(() -> r.setSchedule(text()));
    maybe(() -> r.setTimesteps(int32()));
    maybe(() -> r.setCheckpointEvery(int32()));
    maybe(() -> r.setEmaDecay(float64()));
    maybe(() -> r.setWarmupSteps(int32()));
    maybe(() -> r.setGradClipNorm(float64()));
    maybe(() -> r.setResume(random.nextBoolean()));
    maybe(() -> r.setInitFromModel(text()));
    maybe(() -> r.setInitFromVersion(int64()));
    return r.build();
  }

  private String jobId() {
    return !jobs.isEmpty() && random.nextBoolean() ? jobs.get(random.nextInt(jobs.size())) : text();
  }

  private void maybe(Runnable setField) {
    if (random.nextInt(10) < 7) {
      setField.run();
    }
  }

  private <V> V oneOf(List<Supplier<V>> choices) {
    return choices.get(random.nextInt(choices.size())).get();
  }

  private String text() {
    return oneOf(List.of(() -> "", () -> POINT, () -> LABELLED, () -> BROKEN, () -> "nothing", () -> "../models",
        () -> "a/b", () -> "linear", () -> "cosine", () -> "unet", () -> "digits", () -> "mnist",
        () -> "folder:sprites", () -> "folder:/etc", () -> "folder:../models", () -> "folder:empty",
        () -> "folder:" + LONG, () -> LONG, this::randomText, this::randomText));
  }

  /**
   * Up to 40 characters of anything, control characters included. Not lone surrogates, which no UTF-8 string can
   * carry (invalid UTF-8 comes with the random and flipped bytes).
   */
  private String randomText() {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(40);
    for (int i = 0; i < length; i++) {
      text.appendCodePoint(random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0xE000, 0x110000));
    }
    return text.toString();
  }

  private int int32() {
    return oneOf(List.of(() -> 0, () -> 1, () -> 2, () -> -1, () -> 5, () -> T - 1, () -> T, () -> T + 1,
        () -> 256, () -> 4096, () -> 100_000, () -> Integer.MAX_VALUE, () -> Integer.MIN_VALUE,
        () -> random.nextInt()));
  }

  private long int64() {
    return oneOf(List.of(() -> 0L, () -> 1L, () -> 2L, () -> -1L, () -> Long.MAX_VALUE, () -> Long.MIN_VALUE,
        random::nextLong));
  }

  private double float64() {
    return oneOf(List.of(() -> 0.0, () -> 1.0, () -> -1.0, () -> 0.5, () -> 1e-3, () -> 2.0, () -> Double.NaN,
        () -> Double.POSITIVE_INFINITY, () -> Double.NEGATIVE_INFINITY, () -> 1e300, random::nextDouble));
  }

  private float float32() {
    return oneOf(List.of(() -> 0f, () -> 1f, () -> -1f, () -> Float.NaN, () -> Float.POSITIVE_INFINITY, () -> 3e38f,
        () -> 1e4f, () -> -1e5f, () -> (float) random.nextGaussian()));
  }

  /** Any dtype (an unknown one too), any shape, and data that fits the shape or does not. */
  private Tensor tensor() {
    long[] shape = random.nextBoolean()
        ? new long[] {1 + random.nextInt(3), SIDE, SIDE, 1}
        : randomShape();
    // 0 is DTYPE_UNSPECIFIED, 4 a number no DType has.
    Tensor.Builder tensor = Tensor.newBuilder().setDtypeValue(random.nextInt(5));
    for (long dim : shape) {
      tensor.addShape(dim);
    }
    long elements = elements(shape);
    if (elements >= 0 && elements <= 4096 && random.nextInt(10) < 8) {
      ByteBuffer data = ByteBuffer.allocate((int) elements * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < elements; i++) {
        data.putFloat(float32());
      }
      return tensor.setData(ByteString.copyFrom(data.array())).build();
    }
    return tensor.setData(ByteString.copyFrom(bytes(random.nextInt(64)))).build();
  }

  private long[] randomShape() {
    long[] shape = new long[random.nextInt(6)];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = oneOf(List.of(() -> 0L, () -> 1L, () -> 2L, () -> (long) SIDE, () -> 5L, () -> -1L, () -> 1L << 32,
          () -> Long.MAX_VALUE, () -> (long) random.nextInt(10)));
    }
    return shape;
  }

  /** The product of {@code shape}, or -1 when it is negative or too large to matter. */
  private static long elements(long[] shape) {
    long elements = 1;
    for (long dim : shape) {
      if (dim < 0 || dim > 1 << 16) {
        return -1;
      }
      elements *= dim;
    }
    return elements;
  }

  /** Valid FLOAT32 values for {@code shape}, from the float pool. */
  private Tensor floats(long[] shape) {
    ByteBuffer data = ByteBuffer.allocate((int) elements(shape) * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    while (data.hasRemaining()) {
      data.putFloat((float) random.nextGaussian());
    }
    Tensor.Builder tensor = Tensor.newBuilder().setDtype(DType.FLOAT32).setData(ByteString.copyFrom(data.array()));
    for (long dim : shape) {
      tensor.addShape(dim);
    }
    return tensor.build();
  }

  /** {@code n} timesteps within [0, T − 1]. */
  private Tensor ints(int n) {
    ByteBuffer data = ByteBuffer.allocate(n * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    while (data.hasRemaining()) {
      data.putInt(random.nextInt(T));
    }
    return Tensor.newBuilder().setDtype(DType.INT32).addShape(n).setData(ByteString.copyFrom(data.array())).build();
  }

  private byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /** {@code valid} with one to three of its bytes changed, and now and then cut short. */
  private byte[] flipped(byte[] valid) {
    if (valid.length == 0) {
      return bytes(1 + random.nextInt(8));
    }
    byte[] bytes = valid.clone();
    int flips = 1 + random.nextInt(3);
    for (int i = 0; i < flips; i++) {
      bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
    }
    return random.nextInt(5) == 0 ? Arrays.copyOf(bytes, random.nextInt(bytes.length)) : bytes;
  }
}
