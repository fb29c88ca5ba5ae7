package ddpm.cli;

import io.grpc.StatusRuntimeException;
import java.util.logging.Level;
import java.util.logging.Logger;
import ddpm.cli.bench.BenchCommand;
import ddpm.cli.bench.DeviceBenchCommand;
import ddpm.cli.bench.SoakCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The ddpm command: run the suite's services, and train, sample and inspect schedules through them. */
@Command(name = "ddpm", mixinStandardHelpOptions = true, version = "ddpm-suite 0.1.0",
    description = "Train and serve denoising diffusion probabilistic models over gRPC.",
    subcommands = {UpCommand.class, ServeCommand.class, ScheduleCommand.class, TrainCommand.class,
        SampleCommand.class, ModelsCommand.class, EvalCommand.class, NllCommand.class, BenchCommand.class,
        SoakCommand.class, DeviceBenchCommand.class, CommandLine.HelpCommand.class})
public final class Ddpm {
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command line and returns its exit code. */
  public static int run(String... args) {
    // Services log their start and stop at INFO; a command prints what its user needs itself.
    Logger.getLogger("").setLevel(Level.WARNING);
    return commandLine().execute(args);
  }

  /** The command tree; an error from a service prints as one line with its status code, not a stack trace. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Ddpm());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      String message = e instanceof StatusRuntimeException sre
          ? sre.getStatus().getCode() + ": " + sre.getStatus().getDescription()
          : e.getMessage() == null ? e.toString() : e.getMessage();
      commandLine.getErr().println("ddpm " + commandLine.getCommandName() + ": " + message);
      return 1;
    });
    return cli;
  }
}
