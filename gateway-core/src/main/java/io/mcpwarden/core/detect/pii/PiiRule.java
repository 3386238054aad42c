package io.mcpwarden.core.detect.pii;

import io.mcpwarden.core.detect.SensitiveMatch;
import io.mcpwarden.core.detect.SpanResolver.Candidate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kind of personal data: a pattern (group 1 is the span), a check on the match, and a
 * priority for overlaps (checksummed identifiers outrank loosely shaped ones such as phone
 * numbers, so a card number is never reported as a phone), and an optional substring the text
 * must contain for the rule to run.
 */
record PiiRule(
    String type,
    Pattern pattern,
    SpanCheck check,
    int priority,
    List<String> needles,
    boolean hasDigit) {

  PiiRule {
    needles = List.copyOf(needles);
  }

  /** A rule whose matches always contain a digit (most of them: numbers, codes, addresses). */
  static PiiRule of(String type, String regex, SpanCheck check, int priority) {
    return new PiiRule(type, Pattern.compile(regex), check, priority, List.of(), true);
  }

  /**
   * The same rule, run only on texts whose lower-case form contains one of {@code lowerCase}: a
   * cheap pre-filter that spares the expression on most texts.
   */
  PiiRule needs(String... lowerCase) {
    return new PiiRule(type, pattern, check, priority, List.of(lowerCase), hasDigit);
  }

  /** The same rule for matches that may contain no digit (names, e-mail addresses). */
  PiiRule withoutDigits() {
    return new PiiRule(type, pattern, check, priority, needles, false);
  }

  /**
   * Adds this rule's findings to {@code out}.
   *
   * @param lower {@code text} lower-cased, for the pre-filter
   * @param windows where to look, as {@code [start, end)} pairs: the neighbourhoods of digits
   *     for rules whose matches contain one, the whole text otherwise
   */
  void find(String text, String lower, List<int[]> windows, List<Candidate> out) {
    if (!needles.isEmpty() && needles.stream().noneMatch(lower::contains)) {
      return;
    }
    Matcher m = pattern.matcher(text);
    // Transparent bounds: look-behinds and look-aheads still see the text around a window.
    m.useTransparentBounds(true).useAnchoringBounds(false);
    for (int[] w : hasDigit ? windows : List.of(new int[] {0, text.length()})) {
      m.region(w[0], w[1]);
      collect(m, text, out);
    }
  }

  private void collect(Matcher m, String text, List<Candidate> out) {
    while (m.find()) {
      String value = m.group(1);
      if (value != null && check.test(value, text, m.start(1), m.end(1))) {
        out.add(
            new Candidate(
                new SensitiveMatch(SensitiveMatch.Kind.PII, type, m.start(1), m.end(1)),
                priority));
      }
    }
  }
}
