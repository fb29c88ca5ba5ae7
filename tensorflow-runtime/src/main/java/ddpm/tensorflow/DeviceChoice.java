package ddpm.tensorflow;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;

/**
 * Where a network should run, as the denoiser's {@code --device} names it: {@code cpu}, {@code gpu}, or {@code auto}
 * (the GPU when TensorFlow sees one, the CPU otherwise). TensorFlow sees a GPU only with its GPU natives
 * (tensorflow-core-native's linux-x86_64-gpu classifier, the {@code gpu} Maven profile) on a machine with an NVIDIA
 * GPU and driver; the same code runs on either natives.
 */
public enum DeviceChoice {
  CPU("cpu"),
  GPU("gpu"),
  AUTO("auto");

  private final String flagValue;

  DeviceChoice(String flagValue) {
    this.flagValue = flagValue;
  }

  /** The lowercase name the command line takes. */
  public String flagValue() {
    return flagValue;
  }

  /** The choice named {@code value}; {@code field} names the option in the error. */
  public static DeviceChoice parse(String value, String field) {
    return FlagValues.parse(values(), DeviceChoice::flagValue, value, field);
  }

  /**
   * The device this choice means on this machine. {@code cpu} asks TensorFlow nothing; {@code gpu} and
   * {@code auto} start TensorFlow and look at its own device list, and {@code gpu} fails with an
   * IllegalArgumentException naming {@code field} when it holds no GPU.
   */
  public ComputeDevice select(String field) {
    if (this == CPU) {
      return ComputeDevice.CPU;
    }
    if (tensorFlowSeesGpu()) {
      return ComputeDevice.GPU;
    }
    if (this == GPU) {
      throw new IllegalArgumentException(field + " gpu: TensorFlow sees no GPU here (CPU-only natives, or no NVIDIA"
          + " GPU and driver on this machine); use " + field + " cpu, or the GPU build (mvn -Pgpu) on a GPU machine");
    }
    return ComputeDevice.CPU;
  }

  /**
   * Whether the devices of TensorFlow's own context include a GPU. DJL asks the CUDA runtime for a GPU count once,
   * as its engine starts; this asks TensorFlow, which never loads CUDA with its CPU natives.
   */
  private static boolean tensorFlowSeesGpu() {
    TensorFlowRuntime.init();
    return Engine.getEngine(TensorFlowRuntime.ENGINE).hasCapability(StandardCapabilities.CUDA);
  }
}
