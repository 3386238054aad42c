package io.mcpwarden.core.detect.injection;

import java.util.List;

/**
 * Tells a quoted example of an injection ("attackers write phrases such as 'ignore previous
 * instructions'") from an injection itself.
 *
 * <p>Why: documentation, advisories and security tools talk about prompt injection and quote it;
 * the model reading them is not being instructed. A rule hit counts for less when it sits inside
 * quotes in a sentence that talks about attacks or examples. The classifier still scores the
 * sentence, so wrapping a real payload in quotes does not make it invisible.
 */
final class Mentions {
  /** Factor applied to a rule's weight for a quoted example. */
  static final double DAMPING = 0.3;

  private static final List<String> META =
      List.of(
          "injection", "jailbreak", "attack", "adversar", "malicious", "example", "e.g.", "such as",
          "phrase", "payload", "detect", "pattern", "like \"", "string", "red team", "red-team");

  private static final String QUOTES = "\"“”«»`";

  private Mentions() {}

  static boolean quotedExample(String text, Segments.Segment segment, int start, int end) {
    if (!insideQuotes(text, segment.start(), start, Math.min(end, segment.end()), segment.end())) {
      return false;
    }
    // the sentence itself, or the one line before it, speaks about attacks or examples
    int from = Math.max(0, text.lastIndexOf('\n', Math.max(0, segment.start() - 2)));
    String context = text.substring(from, segment.end());
    for (String m : META) {
      if (context.contains(m)) {
        return true;
      }
    }
    return false;
  }

  /** An odd number of quote marks before the hit and at least one after it, within the segment. */
  private static boolean insideQuotes(String t, int segStart, int start, int end, int segEnd) {
    int before = 0;
    for (int i = segStart; i < start; i++) {
      if (QUOTES.indexOf(t.charAt(i)) >= 0) {
        before++;
      }
    }
    if (before % 2 == 0) {
      return false;
    }
    for (int i = end; i < segEnd; i++) {
      if (QUOTES.indexOf(t.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }
}
