package ddpm.datasets;

import ddpm.diffusion.ImageShape;
import java.util.List;

/**
 * Where one data set's images come from. {@link #inspect} runs when a job is submitted, so it reads only what
 * it must (file headers, not pixels); {@link #load} reads everything and reports whatever the headers could not
 * show. Both throw IllegalStateException for a data set that is missing or damaged on this machine (naming the
 * file and the script that fetches it) and IllegalArgumentException for a user's folder that cannot be used
 * (naming the file and the problem).
 */
public interface DatasetSource {
  /** As users name it: "mnist", "folder:/data/sprites". */
  String name();

  /** The splits it has; every data set has {@link Split#TRAIN}. */
  List<Split> splits();

  /** The name of each class, label {@code i} being {@code classNames().get(i)}; empty when it has no labels. */
  List<String> classNames();

  default boolean hasLabels() {
    return !classNames().isEmpty();
  }

  /** The image shape of {@code split}, once the headers of its files say they are there and agree. */
  ImageShape inspect(Split split);

  ImageSet load(Split split);

  /** IllegalArgumentException unless this data set has {@code split}. */
  default void checkSplit(Split split) {
    if (!splits().contains(split)) {
      throw new IllegalArgumentException("dataset: " + name() + " has no " + split + " split, only " + splits());
    }
  }
}
