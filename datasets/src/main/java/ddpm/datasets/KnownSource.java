package ddpm.datasets;

import java.util.List;

/** What every reader of a {@link KnownDataset} says as its row does: its name, splits and classes. */
abstract class KnownSource implements DatasetSource {
  final KnownDataset set;

  KnownSource(KnownDataset set) {
    this.set = set;
  }

  @Override
  public String name() {
    return set.id();
  }

  @Override
  public List<Split> splits() {
    return set.splits();
  }

  @Override
  public List<String> classNames() {
    return set.classNames();
  }
}
