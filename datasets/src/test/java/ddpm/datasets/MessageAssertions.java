package ddpm.datasets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Error messages are the user interface of a bad data set: tests check what they name. */
final class MessageAssertions {
  private MessageAssertions() {}

  static void assertMentions(Throwable e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "\"" + part + "\" not in: " + e.getMessage());
    }
  }
}
