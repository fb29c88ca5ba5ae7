package ddpm.tensorflow;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The choices of a command-line flag that takes one of an enum's lowercase names. */
final class FlagValues {
  private FlagValues() {}

  /** The choice whose flag value is {@code value}; {@code field} names the option in the error. */
  static <E extends Enum<E>> E parse(E[] choices, Function<E, String> flagValue, String value, String field) {
    for (E choice : choices) {
      if (flagValue.apply(choice).equals(value)) {
        return choice;
      }
    }
    String allowed = Arrays.stream(choices).map(flagValue).collect(Collectors.joining(", "));
    throw new IllegalArgumentException(field + " must be one of " + allowed + ", got \"" + value + "\"");
  }
}
