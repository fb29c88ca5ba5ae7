package ddpm.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EchoTest {
  @Test
  void shortValuesAreQuotedWhole() {
    assertEquals("\"mnist\"", Echo.quoted("mnist"));
    assertEquals("null", Echo.quoted(null));
    assertEquals("[1, 28, 28, 1]", Echo.cut("[1, 28, 28, 1]"));
  }

  @Test
  void longValuesAreCutToTheLimitAndSayHowLongTheyWere() {
    String quoted = Echo.quoted("a".repeat(9000));
    assertEquals("\"" + "a".repeat(Echo.MAX_CHARS) + "… (9000 characters)\"", quoted);
  }

  @Test
  void shapesAreCutLikeAnyOtherValue() {
    assertEquals("[1, 28, 28, 1]", Echo.shape(new long[] {1, 28, 28, 1}));
    String many = Echo.shape(new long[100_000]);
    assertTrue(many.startsWith("[0, 0, ") && many.endsWith("… (300000 characters)"), many);
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String text = "a".repeat(Echo.MAX_CHARS - 1) + "😀" + "b";
    String cut = Echo.cut(text);
    assertTrue(cut.startsWith("a".repeat(Echo.MAX_CHARS - 1) + "…"), cut);
  }

  @Test
  void controlCharactersAreEscapedSoAMessageStaysOneLine() {
    assertEquals("\"a\\u000ab\\u0000\"", Echo.quoted("a\nb\0"));
  }

  @Test
  void quotesAndBackslashesAreEscapedSoAQuotedValueEndsAtItsQuote() {
    assertEquals("\"say \\\"hi\\\" \\\\ bye\"", Echo.quoted("say \"hi\" \\ bye"));
  }
}
