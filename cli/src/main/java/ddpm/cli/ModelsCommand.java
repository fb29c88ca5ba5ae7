package ddpm.cli;

import ddpm.api.v1.ClearDefaultVersionRequest;
import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.ListModelsRequest;
import ddpm.api.v1.ModelControlServiceGrpc;
import ddpm.api.v1.ModelControlServiceGrpc.ModelControlServiceBlockingStub;
import ddpm.api.v1.ModelInfo;
import ddpm.api.v1.ModelVersions;
import ddpm.api.v1.SetDefaultVersionRequest;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "models", mixinStandardHelpOptions = true,
    description = "List the repository's models and their versions, as a denoiser service sees them.",
    subcommands = {ModelsCommand.Pin.class, ModelsCommand.Unpin.class})
final class ModelsCommand implements Callable<Integer> {
  @Option(names = "--target", paramLabel = "HOST:PORT", description = "A running denoiser service.")
  String target;

  @Mixin SuiteOptions suite;

  @Mixin TargetSecurityOptions security;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (ServiceConnection connection =
        ServiceConnection.open(ServeCommand.Service.denoiser, target, security, suite)) {
      var models = DenoiserServiceGrpc.newBlockingStub(connection.channel())
          .listModels(ListModelsRequest.getDefaultInstance()).getModelsList();
      if (models.isEmpty()) {
        spec.commandLine().getOut().println("no models");
      }
      for (ModelVersions m : models) {
        spec.commandLine().getOut().printf("%-24s versions %s (default %d%s%s)%n", m.getName(), m.getVersionsList(),
            m.getDefaultVersion(), m.getPinned() ? ", pinned" : "", classes(m));
      }
    }
    return 0;
  }

  /** ", 10 classes" when the default version is class-conditional, else nothing. */
  private static String classes(ModelVersions m) {
    int index = m.getVersionsList().indexOf(m.getDefaultVersion());
    int classes = index < 0 ? 0 : m.getStatuses(index).getNumClasses();
    return classes > 0 ? ", " + classes + " classes" : "";
  }

  /** A pin lives in one denoiser's memory, so pin and unpin need a running one: an embedded one would forget it. */
  static final class RunningDenoiser {
    @Option(names = "--target", required = true, paramLabel = "HOST:PORT", description = "A running denoiser service.")
    String target;

    @Mixin TargetSecurityOptions security;

    /** The answer of one ModelControlService call to the denoiser at --target. */
    <T> T control(Function<ModelControlServiceBlockingStub, T> call) throws IOException {
      try (ServiceConnection connection = ServiceConnection.open(ServeCommand.Service.denoiser, target, security, null)) {
        return call.apply(ModelControlServiceGrpc.newBlockingStub(connection.channel()));
      }
    }
  }

  @Command(name = "pin", mixinStandardHelpOptions = true,
      description = {"Pin a model's default version on a running denoiser, loading it first: versions published "
          + "later load and wait until pinned themselves (promoted). The pin is that denoiser's own: pin each "
          + "replica, and again after one restarts."})
  static final class Pin implements Callable<Integer> {
    @Parameters(paramLabel = "NAME:VERSION", description = "The model and the version to make its default.")
    String model;

    @Mixin RunningDenoiser denoiser;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      ModelRef ref = ModelRef.parse(model, "NAME:VERSION");
      if (ref.version() == 0) {
        throw new IllegalArgumentException("NAME:VERSION: name the version to pin, as " + ref.name() + ":3; got \""
            + model + "\"");
      }
      ModelInfo pinned = denoiser.control(control -> control.setDefaultVersion(
          SetDefaultVersionRequest.newBuilder().setModel(ref.name()).setVersion(ref.version()).build()));
      spec.commandLine().getOut().printf("%s: default version %d, pinned%n", pinned.getName(), pinned.getVersion());
      return 0;
    }
  }

  @Command(name = "unpin", mixinStandardHelpOptions = true,
      description = "Clear a model's pin on a running denoiser: its default is its highest loaded version again.")
  static final class Unpin implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "The model to unpin.")
    String model;

    @Mixin RunningDenoiser denoiser;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      long version = denoiser.control(control -> control.clearDefaultVersion(
          ClearDefaultVersionRequest.newBuilder().setModel(model).build())).getDefaultVersion();
      spec.commandLine().getOut().printf("%s: default version %d, unpinned%n", model, version);
      return 0;
    }
  }
}
