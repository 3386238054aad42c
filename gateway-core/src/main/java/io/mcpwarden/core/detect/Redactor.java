package io.mcpwarden.core.detect;

import java.util.List;
import java.util.function.Function;

/**
 * Rewrites a text so that the sensitive spans a scanner found are replaced or masked.
 *
 * <p>The content guards call this on tool results (redact before the model reads them) and could
 * call it on arguments; the decision per span comes from the caller's policy, so this class only
 * knows how to rewrite, not what is allowed.
 */
public final class Redactor {

  private Redactor() {}

  /** Replaces every match with its typed placeholder. */
  public static String redact(String text, List<SensitiveMatch> matches) {
    return apply(text, matches, m -> Redaction.PLACEHOLDER);
  }

  /**
   * Applies {@code policy} to each match.
   *
   * @param matches in text order and non-overlapping, as {@link SensitiveDataScanner#scan} returns
   *     them
   * @throws IllegalArgumentException if the matches overlap, are out of order or out of bounds
   */
  public static String apply(
      String text, List<SensitiveMatch> matches, Function<SensitiveMatch, Redaction> policy) {
    if (matches.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int at = 0;
    for (SensitiveMatch m : matches) {
      if (m.start() < at || m.end() > text.length() || m.end() < m.start()) {
        throw new IllegalArgumentException(
            "matches must be ordered, non-overlapping and inside the text: " + m);
      }
      out.append(text, at, m.start());
      String span = text.substring(m.start(), m.end());
      switch (policy.apply(m)) {
        case Redaction.Placeholder p -> out.append(m.placeholder());
        case Redaction.Mask mask -> out.append(mask(span, mask.maskChar(), mask.keepLast()));
        case Redaction.Keep k -> out.append(span);
      }
      at = m.end();
    }
    out.append(text, at, text.length());
    return out.toString();
  }

  /** Masks letters and digits, keeping the last {@code keepLast} of them and every separator. */
  static String mask(String span, char maskChar, int keepLast) {
    int alnum = 0;
    for (int i = 0; i < span.length(); i++) {
      if (Character.isLetterOrDigit(span.charAt(i))) {
        alnum++;
      }
    }
    // Never reveal most of a short value: keep at most half of its letters and digits.
    int keep = Math.min(keepLast, alnum / 2);
    int maskUpTo = alnum - keep;
    StringBuilder out = new StringBuilder(span.length());
    int seen = 0;
    for (int i = 0; i < span.length(); i++) {
      char c = span.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        out.append(seen < maskUpTo ? maskChar : c);
        seen++;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
