package ddpm.diffusion.editing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * RePaint's schedule of positions (Lugmayr et al. 2022, its get_schedule_jump; docs/math.md §14): down from K−1 to
 * −1, but on reaching a position j = 0, J, 2J, … below K − J it goes back up J positions, r − 1 times, before it
 * goes on down. J = jump_length, r = jump_n_sample; r ≤ 1 is the plain way down.
 */
public final class Resampling {
  /** RePaint's own choice is 10; the bound keeps a request's denoiser calls within about r·K. */
  public static final int MAX_JUMP_N_SAMPLE = 100;

  private Resampling() {}

  /** Refuses J or r out of range for K positions, naming the field. */
  public static void check(int steps, int jumpLength, int jumpNSample) {
    if (jumpNSample < 0 || jumpNSample > MAX_JUMP_N_SAMPLE) {
      throw new IllegalArgumentException("inpainting.jump_n_sample must be in [0, " + MAX_JUMP_N_SAMPLE
          + "] (0 and 1: no resampling), got " + jumpNSample);
    }
    if (jumpLength < 0) {
      throw new IllegalArgumentException("inpainting.jump_length must be ≥ 0, got " + jumpLength);
    }
    if (jumpNSample > 1 && (jumpLength < 1 || jumpLength >= steps)) {
      throw new IllegalArgumentException("inpainting.jump_length must be in [1, " + (steps - 1) + "] for "
          + steps + " steps when jump_n_sample > 1, got " + jumpLength);
    }
  }

  /** The positions, from K−1 to −1. */
  public static int[] positions(int steps, int jumpLength, int jumpNSample) {
    check(steps, jumpLength, jumpNSample);
    Map<Integer, Integer> jumpsLeft = new HashMap<>();
    if (jumpNSample > 1) {
      for (int j = 0; j < steps - jumpLength; j += jumpLength) {
        jumpsLeft.put(j, jumpNSample - 1);
      }
    }
    List<Integer> positions = new ArrayList<>();
    int position = steps;
    while (position >= 1) {
      position--;
      positions.add(position);
      if (jumpsLeft.getOrDefault(position, 0) > 0) {
        jumpsLeft.merge(position, -1, Integer::sum);
        for (int up = 0; up < jumpLength; up++) {
          position++;
          positions.add(position);
        }
      }
    }
    positions.add(-1);
    return positions.stream().mapToInt(Integer::intValue).toArray();
  }
}
