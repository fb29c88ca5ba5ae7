package ddpm.cli;

import ddpm.diffusion.sampling.SamplerKind;
import ddpm.diffusion.sampling.VarianceKind;
import ddpm.diffusion.schedule.SpacingKind;
import java.util.ArrayList;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The help of {@code ddpm sample}'s --sampler, --variance and --spacing (and {@code ddpm schedule}'s --spacing), made
 * from the sampling tables: picocli reads it as the command's resource bundle (an annotation can hold only
 * constants), so the help lists every row there is.
 * Keys: {@code <option>.label} for the value's placeholder, {@code <option>.0}, {@code .1}, ... for the lines.
 */
public final class SamplingChoiceHelp extends ListResourceBundle {
  @Override
  protected Object[][] getContents() {
    List<Object[]> contents = new ArrayList<>();
    add(contents, "sampler", "Update rule", SamplerKind.values(), SamplerKind::cliName, SamplerKind::description,
        SamplerKind.DEFAULT);
    add(contents, "variance", "Variance of the ancestral sampler", VarianceKind.values(), VarianceKind::cliName,
        VarianceKind::description, VarianceKind.DEFAULT);
    add(contents, "spacing", "Which timesteps of the model's schedule the K steps visit", SpacingKind.values(),
        SpacingKind::wireName, SpacingKind::description, SpacingKind.EVEN);
    return contents.toArray(new Object[0][]);
  }

  private static <C extends Enum<C>> void add(List<Object[]> contents, String option, String what, C[] rows,
      Function<C, String> cliName, Function<C, String> description, C fallback) {
    contents.add(new Object[] {option + ".label",
        List.of(rows).stream().map(cliName).collect(Collectors.joining("|"))});
    List<String> lines = new ArrayList<>();
    C last = rows[rows.length - 1];
    String wireNames =
        cliName.apply(last).equals(last.name()) ? "" : "; wire names such as " + last.name() + " work too";
    lines.add(what + " (default: " + cliName.apply(fallback) + wireNames + "):");
    for (C row : rows) {
      lines.add("- " + cliName.apply(row) + ": " + description.apply(row));
    }
    for (int i = 0; i < lines.size(); i++) {
      contents.add(new Object[] {option + "." + i, lines.get(i)});
    }
  }
}
