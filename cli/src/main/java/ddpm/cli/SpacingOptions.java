package ddpm.cli;

import ddpm.diffusion.schedule.Spacing;
import ddpm.diffusion.schedule.SpacingKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * --spacing and --rho: which K of the model's T timesteps a respaced schedule keeps (docs/math.md §12), for
 * {@code ddpm sample} and {@code ddpm schedule} alike. A command that mixes them in names
 * {@link SamplingChoiceHelp} as its resource bundle, which holds --spacing's help.
 */
final class SpacingOptions {
  @Option(names = "--spacing", converter = SpacingName.class, paramLabel = "${bundle:spacing.label}",
      descriptionKey = "spacing")
  SpacingKind kind = SpacingKind.EVEN;

  @Option(names = "--rho", defaultValue = "" + Spacing.DEFAULT_RHO, paramLabel = "R",
      description = "rho of --spacing karras (Karras et al. 2022), finite and > 0 (default: ${DEFAULT-VALUE}).")
  double rho;

  /** --rho checked as the services check karras_rho, but named as the option: a usage error of {@code command}. */
  void check(CommandSpec command) {
    if (!(rho > 0 && rho < Double.POSITIVE_INFINITY)) {
      throw new ParameterException(command.commandLine(), "--rho must be finite and > 0, got " + rho);
    }
  }

  /** A spacing by its lowercase name, or its wire name. */
  static final class SpacingName implements ITypeConverter<SpacingKind> {
    @Override
    public SpacingKind convert(String value) {
      try {
        return SpacingKind.parse(value, "--spacing");
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
