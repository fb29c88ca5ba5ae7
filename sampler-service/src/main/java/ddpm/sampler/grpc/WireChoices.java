package ddpm.sampler.grpc;

import ddpm.diffusion.sampling.SamplerKind;
import ddpm.diffusion.sampling.SamplingChoice;
import ddpm.diffusion.sampling.VarianceKind;
import ddpm.diffusion.schedule.Spacing;
import ddpm.diffusion.schedule.SpacingKind;

/**
 * The sampling tables on the wire, mapped by name: a value of the proto's SamplerKind, VarianceKind or Spacing is
 * the diffusion-core row of the same name, and UNSPECIFIED (number 0) is the table's default. A row added to both
 * tables so needs no line here; WireChoicesTest checks that the two sides name the same rows.
 */
public final class WireChoices {
  private WireChoices() {}

  public static ddpm.api.v1.SamplerKind toWire(SamplerKind sampler) {
    return ddpm.api.v1.SamplerKind.valueOf(sampler.name());
  }

  public static ddpm.api.v1.VarianceKind toWire(VarianceKind variance) {
    return ddpm.api.v1.VarianceKind.valueOf(variance.name());
  }

  /** The sampler of a request's field "sampler"; a value this build does not know fails naming the field. */
  static SamplerKind sampler(ddpm.api.v1.SamplerKind wire, int number) {
    return fromWire(wire, number, SamplerKind.class, SamplerKind.DEFAULT, "sampler");
  }

  /**
   * The spacing of a request's fields "spacing" and "karras_rho" (0: {@link Spacing#DEFAULT_RHO}); a value this
   * build does not know fails naming the field.
   */
  static Spacing spacing(ddpm.api.v1.Spacing wire, int number, double karrasRho) {
    return new Spacing(fromWire(wire, number, SpacingKind.class, SpacingKind.EVEN, "spacing"),
        karrasRho == 0 ? Spacing.DEFAULT_RHO : karrasRho);
  }

  public static ddpm.api.v1.Spacing toWire(SpacingKind spacing) {
    return ddpm.api.v1.Spacing.valueOf(spacing.name());
  }

  /** The variance of a request's field "variance"; a value this build does not know fails naming the field. */
  static VarianceKind variance(ddpm.api.v1.VarianceKind wire, int number) {
    return fromWire(wire, number, VarianceKind.class, VarianceKind.DEFAULT, "variance");
  }

  /** The variance of an entry of the request field {@code field}; a value this build does not know fails naming it. */
  static VarianceKind variance(ddpm.api.v1.VarianceKind wire, int number, String field) {
    return fromWire(wire, number, VarianceKind.class, VarianceKind.DEFAULT, field);
  }

  private static <C extends Enum<C>> C fromWire(Enum<?> wire, int number, Class<C> table,
      C unspecified, String field) {
    if (number == 0) {
      return unspecified;
    }
    for (C row : table.getEnumConstants()) {
      if (row.name().equals(wire.name())) {
        return row;
      }
    }
    throw new IllegalArgumentException(field + " must be "
        + SamplingChoice.list(table.getEnumConstants(), Enum::name) + ", got value " + number);
  }
}
