package ddpm.cli;

/** NAME or NAME:VERSION, as the --model option takes it; version 0 means the highest. */
record ModelRef(String name, long version) {
  static ModelRef parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      return new ModelRef(text, 0);
    }
    try {
      return new ModelRef(text.substring(0, colon), Long.parseLong(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--model: version after ':' must be an integer, got \"" + text + "\"");
    }
  }
}
