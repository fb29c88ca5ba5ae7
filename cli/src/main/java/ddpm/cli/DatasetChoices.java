package ddpm.cli;

import ddpm.datasets.Datasets;
import java.util.Iterator;

/** What {@code --dataset} accepts, from the registry's table: the choices its help lists. */
final class DatasetChoices implements Iterable<String> {
  @Override
  public Iterator<String> iterator() {
    return Datasets.choices().iterator();
  }
}
