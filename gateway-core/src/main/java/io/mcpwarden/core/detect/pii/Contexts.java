package io.mcpwarden.core.detect.pii;

import java.util.Locale;
import java.util.regex.Pattern;

/** Looks at the words just before a match (a label such as "Tel:" or "version"). */
final class Contexts {
  private Contexts() {}

  /** The {@code width} characters before {@code start}, lower-cased. */
  static String before(String text, int start, int width) {
    return text.substring(Math.max(0, start - width), start).toLowerCase(Locale.ROOT);
  }

  static boolean precededBy(String text, int start, int width, Pattern words) {
    return words.matcher(before(text, start, width)).find();
  }
}
