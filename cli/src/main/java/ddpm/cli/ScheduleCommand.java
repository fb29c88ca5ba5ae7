package ddpm.cli;

import com.google.protobuf.util.JsonFormat;
import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.Schedule;
import ddpm.api.v1.ScheduleServiceGrpc;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "schedule", mixinStandardHelpOptions = true,
    description = "Print a noise schedule, fetched from a scheduler service.")
final class ScheduleCommand implements Callable<Integer> {
  @Option(names = "--kind", defaultValue = "linear", completionCandidates = ScheduleChoices.class,
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String kind;

  @Option(names = "--timesteps", defaultValue = "1000", description = "T (default: ${DEFAULT-VALUE}).")
  int timesteps;

  @Option(names = "--respace", defaultValue = "0", paramLabel = "K",
      description = "Keep K evenly spaced steps (default: no respacing).")
  int respace;

  @Option(names = "--json", description = "Print the Schedule message as JSON (proto field names).")
  boolean json;

  @Option(names = "--target", paramLabel = "HOST:PORT", description = "A running scheduler service.")
  String target;

  @Mixin SuiteOptions suite;

  @Mixin TargetSecurityOptions security;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (ServiceConnection connection =
        ServiceConnection.open(ServeCommand.Service.scheduler, target, security, suite)) {
      Schedule schedule = ScheduleServiceGrpc.newBlockingStub(connection.channel())
          .getSchedule(GetScheduleRequest.newBuilder()
              .setKind(kind).setTimesteps(timesteps).setRespaceSteps(respace).build())
          .getSchedule();
      spec.commandLine().getOut().println(json
          ? JsonFormat.printer().preservingProtoFieldNames().includingDefaultValueFields().print(schedule)
          : table(schedule));
    }
    return 0;
  }

  private static String table(Schedule s) {
    StringBuilder out = new StringBuilder(String.format(
        "%s schedule, T = %d, K = %d%n%6s %6s %12s %14s %14s %14s%n", s.getKind(), s.getTimesteps(), s.getSteps(),
        "k", "t", "beta", "alphas_cumprod", "sqrt_1m_abar", "post_variance"));
    for (int k = 0; k < s.getSteps(); k++) {
      out.append(String.format("%6d %6d %12.6e %14.6e %14.6e %14.6e%n", k, s.getTimestepIndices(k),
          s.getBetas(k), s.getAlphasCumprod(k), s.getSqrtOneMinusAlphasCumprod(k), s.getPosteriorVariance(k)));
    }
    return out.toString().stripTrailing();
  }
}
