package ddpm.cli;

import com.google.protobuf.util.JsonFormat;
import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.GetScheduleResponse;
import ddpm.api.v1.Schedule;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.diffusion.schedule.SpacingKind;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "schedule", mixinStandardHelpOptions = true, resourceBundle = "ddpm.cli.SamplingChoiceHelp",
    description = "Print a noise schedule, fetched from a scheduler service.")
final class ScheduleCommand implements Callable<Integer> {
  @Option(names = "--kind", defaultValue = "linear", completionCandidates = ScheduleChoices.class,
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String kind;

  @Option(names = "--timesteps", defaultValue = "1000", description = "T (default: ${DEFAULT-VALUE}).")
  int timesteps;

  @Option(names = "--respace", defaultValue = "0", paramLabel = "K",
      description = "Keep K of the T steps, chosen as --spacing says (default: 0, no respacing).")
  int respace;

  @Mixin SpacingOptions spacing;

  @Option(names = "--json", description = "Print the Schedule message as JSON (proto field names).")
  boolean json;

  @Option(names = "--target", paramLabel = "HOST:PORT", description = "A running scheduler service.")
  String target;

  @Mixin SuiteOptions suite;

  @Mixin TargetSecurityOptions security;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    spacing.check(spec);
    try (ServiceConnection connection =
        ServiceConnection.open(ServeCommand.Service.scheduler, target, security, suite)) {
      GetScheduleResponse response = ScheduleServiceGrpc.newBlockingStub(connection.channel())
          .getSchedule(GetScheduleRequest.newBuilder().setKind(kind).setTimesteps(timesteps)
              .setRespaceSteps(respace).setSpacing(spacing.kind.wireName()).setKarrasRho(spacing.rho).build());
      Schedule schedule = response.getSchedule();
      spec.commandLine().getOut().println(json
          ? JsonFormat.printer().preservingProtoFieldNames().includingDefaultValueFields().print(schedule)
          : table(schedule, response));
    }
    return 0;
  }

  private static String table(Schedule s, GetScheduleResponse response) {
    String spacing = s.getSteps() == s.getTimesteps() ? ""
        : ", " + response.getSpacing() + " spacing" + (response.getSpacing().equals(SpacingKind.KARRAS.wireName())
            ? String.format(" (rho %s)", response.getKarrasRho()) : "");
    StringBuilder out = new StringBuilder(String.format(
        "%s schedule, T = %d, K = %d%s%n%6s %6s %12s %14s %14s %14s%n", s.getKind(), s.getTimesteps(), s.getSteps(),
        spacing, "k", "t", "beta", "alphas_cumprod", "sqrt_1m_abar", "post_variance"));
    for (int k = 0; k < s.getSteps(); k++) {
      out.append(String.format("%6d %6d %12.6e %14.6e %14.6e %14.6e%n", k, s.getTimestepIndices(k),
          s.getBetas(k), s.getAlphasCumprod(k), s.getSqrtOneMinusAlphasCumprod(k), s.getPosteriorVariance(k)));
    }
    return out.toString().stripTrailing();
  }
}
