package ddpm.cli;

import ddpm.trainer.graph.Architecture;
import java.util.Iterator;

/** What {@code --arch} accepts, from the trainer's table of architectures: the choices its help lists. */
final class ArchitectureChoices implements Iterable<String> {
  @Override
  public Iterator<String> iterator() {
    return Architecture.names().iterator();
  }
}
