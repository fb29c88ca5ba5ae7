package ddpm.cli;

import ddpm.diffusion.schedule.ScheduleKind;
import java.util.Arrays;
import java.util.Iterator;

/** What {@code --schedule} and {@code --kind} accept, from diffusion-core's table of schedule families. */
final class ScheduleChoices implements Iterable<String> {
  @Override
  public Iterator<String> iterator() {
    return Arrays.stream(ScheduleKind.values()).map(ScheduleKind::wireName).iterator();
  }
}
