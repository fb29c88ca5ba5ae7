package ddpm.evaluation.data;

import ddpm.datasets.ImageSet;
import ddpm.datasets.Split;
import java.nio.file.Path;

/** One split (images and labels) of a {@link ReferenceDataset}, as its classifier takes them: 28×28 grey. */
public record LabelledSplit(Images images, int[] labels) {
  public static final int SIDE = 28;

  public LabelledSplit {
    if (labels.length != images.count()) {
      throw new IllegalArgumentException(images.count() + " images with " + labels.length + " labels");
    }
  }

  /**
   * {@code split} of {@code dataset} as the registry reads it under the data root {@code dataRoot}; throws
   * IllegalStateException naming a missing or damaged file and the script that fetches it.
   */
  public static LabelledSplit load(ReferenceDataset dataset, Path dataRoot, Split split) {
    ImageSet set = dataset.dataset().source(dataRoot).load(split);
    return new LabelledSplit(new Images(set.count(), set.shape().height(), set.shape().width(), set.pixels()),
        set.labels());
  }
}
