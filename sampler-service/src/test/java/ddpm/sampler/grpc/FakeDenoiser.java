package ddpm.sampler.grpc;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.GetModelInfoRequest;
import ddpm.api.v1.ModelInfo;
import ddpm.api.v1.PredictNoiseRequest;
import ddpm.api.v1.PredictNoiseResponse;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.grpc.Responses;
import ddpm.grpc.TensorCodec;
import ddpm.testing.CallDeadlines;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A denoiser serving one model, "exact" version 3, whose ε comes from a Java {@link EpsModel}; it records
 * what every PredictNoise call asked for and under which deadline.
 */
final class FakeDenoiser extends DenoiserServiceGrpc.DenoiserServiceImplBase {
  static final String MODEL = "exact";
  static final long VERSION = 3;

  final List<Long> versionsAsked = new CopyOnWriteArrayList<>();
  final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  /** Per PredictNoise call, the milliseconds its deadline had left when it arrived; null if it had none. */
  final List<Long> millisLeftOnArrival = new CopyOnWriteArrayList<>();
  /** Counted down when the blocked call (see {@link #blockCall}) has arrived and waits. */
  final CountDownLatch blockedCallStarted = new CountDownLatch(1);
  /** Counted down when the blocked call (see {@link #blockCall}) sees its context cancelled. */
  final CountDownLatch blockedCallCancelled = new CountDownLatch(1);

  private final ModelInfo info;
  private final EpsModel eps;
  private volatile int blockedCall = -1;

  FakeDenoiser(ImageShape shape, NoiseSchedule full, EpsModel eps) {
    this.eps = eps;
    this.info = ModelInfo.newBuilder()
        .setName(MODEL)
        .setVersion(VERSION)
        .addImageShape(shape.height()).addImageShape(shape.width()).addImageShape(shape.channels())
        .setTimesteps(full.timesteps())
        .setSchedule(full.kind().wireName())
        .setPrediction("epsilon")
        .build();
  }

  /** PredictNoise call number {@code n} (1-based) waits until its caller cancels it. */
  void blockCall(int n) {
    blockedCall = n;
  }

  @Override
  public void getModelInfo(GetModelInfoRequest request, StreamObserver<ModelInfo> observer) {
    Responses.unary(observer, () -> {
      checkModel(request.getModel(), request.getVersion());
      return info;
    });
  }

  @Override
  public void predictNoise(PredictNoiseRequest request, StreamObserver<PredictNoiseResponse> observer) {
    Responses.unary(observer, () -> {
      checkModel(request.getModel(), request.getVersion());
      versionsAsked.add(request.getVersion());
      millisLeftOnArrival.add(CallDeadlines.millisLeft());
      int[] t = TensorCodec.toInts(request.getT(), "t");
      batchSizes.add(t.length);
      if (versionsAsked.size() == blockedCall) {
        awaitCancellation();
      }
      float[] x = TensorCodec.toFloats(request.getXT(), "x_t");
      return PredictNoiseResponse.newBuilder()
          .setEps(TensorCodec.float32(eps.predict(x, t), TensorCodec.shape(request.getXT())))
          .setModel(MODEL)
          .setVersion(VERSION)
          .build();
    });
  }

  private void awaitCancellation() {
    Context.current().addListener(context -> blockedCallCancelled.countDown(), Runnable::run);
    blockedCallStarted.countDown();
    try {
      if (!blockedCallCancelled.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the blocked call was never cancelled");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void checkModel(String model, long version) {
    if (!MODEL.equals(model)) {
      throw new NoSuchElementException("model \"" + model + "\" not found");
    }
    if (version != 0 && version != VERSION) {
      throw new NoSuchElementException("model \"" + model + "\" has no version " + version);
    }
  }
}
