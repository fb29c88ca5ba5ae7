package ddpm.diffusion;

import java.util.Arrays;

/**
 * Caller input as an error message repeats it: at most {@value #MAX_CHARS} characters of it, the rest replaced by
 * how long it was, control characters escaped as a backslash, u and four hex digits, and quotes and backslashes
 * behind a backslash, so that a quoted value ends where its quotes do. Every message that echoes a request's value
 * goes through here, so a 9,000-character name cannot make a 9,000-character status (which travels in an HTTP/2
 * header that peers cap at 8 KiB) nor a log line that a newline in it splits in two.
 */
public final class Echo {
  public static final int MAX_CHARS = 100;

  private Echo() {}

  /** {@code value} in double quotes, cut to {@value #MAX_CHARS} characters: {@code "mnist"}. */
  public static String quoted(String value) {
    return value == null ? "null" : '"' + cut(value) + '"';
  }

  /** A request's tensor shape, {@code [1, 28, 28, 1]}, cut as {@link #cut} cuts: a shape may have millions of dimensions. */
  public static String shape(long[] dims) {
    return cut(Arrays.toString(dims));
  }

  /**
   * {@code text} (a value, a shape as {@code Arrays.toString} prints it) when it is at most {@value #MAX_CHARS}
   * characters, else its first {@value #MAX_CHARS} followed by {@code … (N characters)}.
   */
  public static String cut(String text) {
    if (text.length() <= MAX_CHARS) {
      return escaped(text);
    }
    // Never half of a surrogate pair.
    int end = Character.isHighSurrogate(text.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
    return escaped(text.substring(0, end)) + "… (" + text.length() + " characters)";
  }

  private static String escaped(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String escape = Character.isISOControl(c) ? String.format("\\u%04x", (int) c)
          : c == '"' || c == '\\' ? "\\" + c : null;
      if (escape != null && out == null) {
        out = new StringBuilder(text.substring(0, i));
      }
      if (out != null) {
        out.append(escape != null ? escape : String.valueOf(c));
      }
    }
    return out == null ? text : out.toString();
  }
}
