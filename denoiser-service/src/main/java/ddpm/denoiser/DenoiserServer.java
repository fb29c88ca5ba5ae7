package ddpm.denoiser;

import com.google.inject.Guice;
import com.google.inject.Injector;
import ddpm.denoiser.core.ModelRegistry;
import ddpm.denoiser.grpc.DenoiserGrpcService;
import ddpm.grpc.ServerRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Starts the denoiser: ddpm.v1.DenoiserService over the models of one repository. */
public final class DenoiserServer {
  private DenoiserServer() {}

  /** Starts serving; closing the returned runner stops the server, then closes every loaded model. */
  public static ServerRunner start(DenoiserConfig config) throws IOException {
    Injector injector = Guice.createInjector(new DenoiserModule(config));
    return ServerRunner.start("denoiser", config.host(), config.port(),
        List.of(injector.getInstance(DenoiserGrpcService.class)), injector.getInstance(ModelRegistry.class));
  }

  /** Usage: DenoiserServer MODEL_REPOSITORY [PORT]. */
  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: DenoiserServer MODEL_REPOSITORY [PORT]");
      System.exit(2);
    }
    int port = args.length == 2 ? Integer.parseInt(args[1]) : 50052;
    ServerRunner runner = start(new DenoiserConfig("0.0.0.0", port, Path.of(args[0])));
    Runtime.getRuntime().addShutdownHook(new Thread(runner::close));
    runner.awaitTermination();
  }
}
