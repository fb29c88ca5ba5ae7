package ddpm.layers;

import org.tensorflow.proto.ConfigProto;

/** TensorFlow's thread pools for one session: threads within an op (intra) and ops run at once (inter). */
public record SessionThreads(int intraOp, int interOp) {
  /** 0 lets TensorFlow choose (one per core for both pools). */
  public static final SessionThreads DEFAULT = new SessionThreads(0, 0);
  /**
   * What the trainer uses: one thread per op, two ops at once. One thread sums each op's values in one fixed
   * order, so a resumed run is bit-identical to an uninterrupted one; it costs some speed against the default
   * and 2/1 (trainer-service/README.md, Throughput, has the figures).
   */
  public static final SessionThreads TRAINING = new SessionThreads(1, 2);

  public SessionThreads {
    if (intraOp < 0 || interOp < 0) {
      throw new IllegalArgumentException("thread counts must be ≥ 0, got " + intraOp + "/" + interOp);
    }
  }

  /** The session configuration that sets both pools. */
  public ConfigProto config() {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intraOp)
        .setInterOpParallelismThreads(interOp)
        .build();
  }
}
