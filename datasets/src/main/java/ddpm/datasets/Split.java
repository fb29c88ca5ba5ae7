package ddpm.datasets;

/** A part of a data set: the images models learn from, or the ones held out to measure them on. */
public enum Split {
  TRAIN("train"),
  TEST("test");

  private final String label;

  Split(String label) {
    this.label = label;
  }

  /** For messages: "train", "test". */
  @Override
  public String toString() {
    return label;
  }
}
