package ddpm.cli;

import picocli.CommandLine.Option;

/**
 * The denoiser's {@code --device}, shared by {@code serve denoiser} and {@code up}. Commands turn it into
 * tensorflow-runtime's {@code DeviceChoice} inside {@code call()}: picocli reflects on every command's fields and
 * methods as the command line is built, and the scheduler and sampler images carry no tensorflow-runtime.
 */
final class DeviceOptions {
  static final String FLAG = "--device";

  @Option(names = FLAG, defaultValue = "auto", paramLabel = "cpu|gpu|auto",
      description = "Denoiser: where its networks run. auto (default): the GPU when TensorFlow sees one (the GPU"
          + " build on a machine with an NVIDIA GPU), else the CPU; gpu: fail at start when it sees none.")
  String device;
}
