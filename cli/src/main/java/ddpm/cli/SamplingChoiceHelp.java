package ddpm.cli;

import ddpm.diffusion.sampling.SamplerKind;
import ddpm.diffusion.sampling.SamplingChoice;
import ddpm.diffusion.sampling.VarianceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.stream.Collectors;

/**
 * The help of {@code ddpm sample}'s --sampler and --variance, made from the sampling tables: picocli reads it as
 * the command's resource bundle (an annotation can hold only constants), so the help lists every row there is.
 * Keys: {@code <option>.label} for the value's placeholder, {@code <option>.0}, {@code .1}, ... for the lines.
 */
public final class SamplingChoiceHelp extends ListResourceBundle {
  @Override
  protected Object[][] getContents() {
    List<Object[]> contents = new ArrayList<>();
    add(contents, "sampler", "Update rule", SamplerKind.values(), SamplerKind.DEFAULT);
    add(contents, "variance", "Variance of the ancestral sampler", VarianceKind.values(), VarianceKind.DEFAULT);
    return contents.toArray(new Object[0][]);
  }

  private static <C extends SamplingChoice> void add(List<Object[]> contents, String option, String what, C[] rows,
      C fallback) {
    contents.add(new Object[] {option + ".label",
        List.of(rows).stream().map(SamplingChoice::cliName).collect(Collectors.joining("|"))});
    List<String> lines = new ArrayList<>();
    C last = rows[rows.length - 1];
    String wireNames = last.cliName().equals(last.name()) ? "" : "; wire names such as " + last.name() + " work too";
    lines.add(what + " (default: " + fallback.cliName() + wireNames + "):");
    for (C row : rows) {
      lines.add("- " + row.cliName() + ": " + row.description());
    }
    for (int i = 0; i < lines.size(); i++) {
      contents.add(new Object[] {option + "." + i, lines.get(i)});
    }
  }
}
