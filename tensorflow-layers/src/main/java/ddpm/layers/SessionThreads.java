package ddpm.layers;

import org.tensorflow.proto.ConfigProto;

/** TensorFlow's thread pools for one session: threads within an op (intra) and ops run at once (inter). */
public record SessionThreads(int intraOp, int interOp) {
  /** 0 lets TensorFlow choose (one per core for both pools). */
  public static final SessionThreads DEFAULT = new SessionThreads(0, 0);
  /**
   * What the trainer uses: one thread per op, two ops at once. On this 2-core machine kind, training the
   * default MNIST U-Net (batch 64) ran at 54–58 images/s this way against 45–57 for the default, 45–60 for
   * 2/1 and 46–57 for 2/2 (four interleaved runs each, on cores shared with other builds; see
   * trainer-service/README.md).
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
