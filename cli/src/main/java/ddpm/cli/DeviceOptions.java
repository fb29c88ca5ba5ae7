package ddpm.cli;

import ddpm.tensorflow.DeviceChoice;
import picocli.CommandLine.Option;

/** The denoiser's {@code --device}, shared by {@code serve denoiser} and {@code up}. */
final class DeviceOptions {
  @Option(names = "--device", defaultValue = "auto", paramLabel = "cpu|gpu|auto",
      description = "Denoiser: where its networks run. auto (default): the GPU when TensorFlow sees one (the GPU"
          + " build on a machine with an NVIDIA GPU), else the CPU; gpu: fail at start when it sees none.")
  String device;

  DeviceChoice choice() {
    return DeviceChoice.parse(device, "--device");
  }
}
