package ddpm.cli;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.ListModelsRequest;
import ddpm.api.v1.ModelVersions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "models", mixinStandardHelpOptions = true,
    description = "List the repository's models and their versions, as a denoiser service sees them.")
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
        spec.commandLine().getOut().printf("%-24s versions %s (default %d)%n", m.getName(), m.getVersionsList(), m.getDefaultVersion());
      }
    }
    return 0;
  }
}
