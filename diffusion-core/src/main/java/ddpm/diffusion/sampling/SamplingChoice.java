package ddpm.diffusion.sampling;

import ddpm.diffusion.Echo;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A row of one of the sampling tables, {@link SamplerKind} and {@link VarianceKind}: the constant's name is its
 * name on the wire, {@link #cliName} its name on the command line and {@link #description} its line of help.
 * Every list of choices in a message or a help text is made from the rows, so it never misses one.
 */
public interface SamplingChoice {
  /** The name on the wire: the enum constant's. */
  String name();

  /** The name on the command line. */
  String cliName();

  /** One line of help, plain ASCII for any terminal. */
  String description();

  /**
   * The row of {@code table} named {@code value} on the command line or on the wire; otherwise an
   * IllegalArgumentException naming {@code field} and listing the command-line names.
   */
  static <C extends Enum<C> & SamplingChoice> C parse(Class<C> table, String value, String field) {
    for (C row : table.getEnumConstants()) {
      if (row.cliName().equals(value) || row.name().equals(value)) {
        return row;
      }
    }
    throw new IllegalArgumentException(
        field + " must be " + list(table.getEnumConstants(), SamplingChoice::cliName) + ", got " + Echo.quoted(value));
  }

  /** The rows' names as {@code name} gives them, for a message: "a, b or c". */
  static <C> String list(C[] rows, Function<? super C, String> name) {
    List<String> names = Arrays.stream(rows).map(name).toList();
    int last = names.size() - 1;
    return last == 0 ? names.get(0) : String.join(", ", names.subList(0, last)) + " or " + names.get(last);
  }
}
