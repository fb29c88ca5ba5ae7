package ddpm.diffusion.sampling;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The extra named inputs of one ε_θ call besides x_t and t, as improved-diffusion passes {@code model_kwargs}
 * to its model: for each name, a value per image of the batch (class labels, for a conditional model).
 * {@link #NONE} for an unconditional model. Immutable; names in sorted order.
 */
public final class ExtraInputs {
  public static final ExtraInputs NONE = new ExtraInputs(new TreeMap<>());

  private final SortedMap<String, ExtraInput> inputs;
  /** Derived once: the batcher, the engine and {@link #concat} compare specs on every call. */
  private final SortedMap<String, InputSpec> specs;

  private ExtraInputs(SortedMap<String, ExtraInput> inputs) {
    this.inputs = Collections.unmodifiableSortedMap(inputs);
    this.specs = Collections.unmodifiableSortedMap(mapValues(inputs, ExtraInput::spec));
  }

  /** {@code inputs} by name; every one holds the same number of images. */
  public static ExtraInputs of(Map<String, ExtraInput> inputs) {
    SortedMap<String, ExtraInput> sorted = new TreeMap<>(inputs);
    if (sorted.keySet().stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException("an extra input needs a name");
    }
    if (sorted.values().stream().mapToInt(ExtraInput::images).distinct().count() > 1) {
      throw new IllegalArgumentException("extra inputs must hold the same number of images, got "
          + mapValues(sorted, ExtraInput::images));
    }
    return sorted.isEmpty() ? NONE : new ExtraInputs(sorted);
  }

  /** Zeros of each of {@code specs} for {@code images} images. */
  public static ExtraInputs zeros(Map<String, InputSpec> specs, int images) {
    return of(mapValues(new TreeMap<>(specs), spec -> ExtraInput.zeros(spec, images)));
  }

  public boolean isEmpty() {
    return inputs.isEmpty();
  }

  /** The inputs by name, sorted. */
  public SortedMap<String, ExtraInput> asMap() {
    return inputs;
  }

  /** What each input holds per image, by name: two calls whose specs are equal can share one batch. */
  public SortedMap<String, InputSpec> specs() {
    return specs;
  }

  /** IllegalArgumentException unless every input holds {@code images} images. */
  public void requireImages(int images) {
    for (Map.Entry<String, ExtraInput> input : inputs.entrySet()) {
      if (input.getValue().images() != images) {
        throw new IllegalArgumentException("extra input \"" + input.getKey() + "\" holds "
            + input.getValue().images() + " images, the batch " + images);
      }
    }
  }

  /** Images [from, to) of every input. */
  public ExtraInputs rows(int from, int to) {
    return isEmpty() ? NONE : new ExtraInputs(mapValues(inputs, input -> input.rows(from, to)));
  }

  /** The images of {@code parts} one after another, input by input; every part has the same {@link #specs()}. */
  public static ExtraInputs concat(List<ExtraInputs> parts) {
    SortedMap<String, InputSpec> specs = parts.get(0).specs();
    for (ExtraInputs part : parts) {
      if (!part.specs().equals(specs)) {
        throw new IllegalArgumentException("cannot join extra inputs " + part.specs() + " to " + specs);
      }
    }
    if (specs.isEmpty()) {
      return NONE;
    }
    SortedMap<String, ExtraInput> joined = new TreeMap<>();
    specs.forEach((name, spec) ->
        joined.put(name, ExtraInput.concat(spec, parts.stream().map(part -> part.inputs.get(name)).toList())));
    return new ExtraInputs(joined);
  }

  private static <V, W> SortedMap<String, W> mapValues(SortedMap<String, V> map, Function<V, W> f) {
    SortedMap<String, W> out = new TreeMap<>();
    map.forEach((name, value) -> out.put(name, f.apply(value)));
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExtraInputs other && inputs.equals(other.inputs);
  }

  @Override
  public int hashCode() {
    return inputs.hashCode();
  }

  @Override
  public String toString() {
    return inputs.toString();
  }
}
