package ddpm.tensorflow;

import ai.djl.Device;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * The device a network runs on: the CPU, or the first GPU TensorFlow sees. {@link #sessionConfig(Precision)} is the
 * TensorFlow session configuration that keeps a SavedModel there, in a precision; giving it to DJL also keeps DJL
 * from asking the CUDA runtime for a GPU count at every model load.
 */
public enum ComputeDevice {
  CPU("cpu", Device.cpu()),
  GPU("gpu:0", Device.gpu(0));

  private final String label;
  private final Device djl;

  ComputeDevice(String label, Device djl) {
    this.label = label;
    this.djl = djl;
  }

  /** How clients and metrics name it: {@code cpu} or {@code gpu:0}. */
  public String label() {
    return label;
  }

  /** DJL's name for it, for {@code Criteria.optDevice}. */
  public Device djl() {
    return djl;
  }

  /**
   * CPU: no GPU for the session, even where the GPU natives see one. GPU: the first GPU, and ops without a GPU
   * kernel on the CPU beside it (soft placement), as DJL configures its own GPU sessions. bf16: grappler's oneDNN
   * auto mixed precision pass, which rewrites the graph's allow-listed ops (Conv2D, MatMul, ...) to bfloat16 with
   * casts around them, so that the signature's float32 inputs and outputs stay as they are. The caller has checked
   * that the precision runs here ({@link PrecisionChoice#select}).
   */
  public ConfigProto sessionConfig(Precision precision) {
    ConfigProto.Builder config = ConfigProto.newBuilder();
    if (this == CPU) {
      config.putDeviceCount("GPU", 0);
    } else {
      config.setGpuOptions(GPUOptions.newBuilder().setVisibleDeviceList("0")).setAllowSoftPlacement(true);
    }
    if (precision == Precision.BF16) {
      config.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(
          RewriterConfig.newBuilder().setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON)));
    }
    return config.build();
  }

  @Override
  public String toString() {
    return label;
  }
}
