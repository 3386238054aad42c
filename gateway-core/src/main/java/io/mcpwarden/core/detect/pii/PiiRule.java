package io.mcpwarden.core.detect.pii;

import io.mcpwarden.core.detect.SensitiveMatch;
import io.mcpwarden.core.detect.SpanResolver.Candidate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kind of personal data: a pattern (group 1 is the span), a check on the match, and a
 * priority for overlaps (checksummed identifiers outrank loosely shaped ones such as phone
 * numbers, so a card number is never reported as a phone), an optional substring the text must
 * contain for the rule to run, and where its matches can begin.
 *
 * @param start where a match can begin ({@link Anchors}), or null to search the whole text
 */
record PiiRule(
    String type,
    Pattern pattern,
    SpanCheck check,
    int priority,
    List<String> needles,
    Anchors.Start start) {

  PiiRule {
    needles = List.copyOf(needles);
  }

  /** A rule searched over the whole text (give it {@link #from} or {@link #needs} to make it cheap). */
  static PiiRule of(String type, String regex, SpanCheck check, int priority) {
    return new PiiRule(type, Pattern.compile(regex), check, priority, List.of(), null);
  }

  /**
   * The same rule, run only on texts whose lower-case form contains one of {@code lowerCase}: a
   * cheap pre-filter that spares the expression on most texts.
   */
  PiiRule needs(String... lowerCase) {
    return new PiiRule(type, pattern, check, priority, List.of(lowerCase), start);
  }

  /**
   * The same rule, tried only at the positions {@code where} gives. It must give every position
   * at which the expression can match (a superset is fine): the findings are then exactly those
   * of a search of the whole text, at the cost of a few anchored attempts.
   */
  PiiRule from(Anchors.Start where) {
    return new PiiRule(type, pattern, check, priority, needles, where);
  }

  /**
   * Adds this rule's findings to {@code out}.
   *
   * @param lower {@code text} lower-cased, for the pre-filter
   * @param anchors the candidate start positions of {@code text}
   */
  void find(String text, String lower, Anchors anchors, List<Candidate> out) {
    if (!needles.isEmpty() && !containsAny(lower)) {
      return;
    }
    if (start == null) {
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        collect(m, text, out);
      }
      return;
    }
    int[] at = start.in(anchors);
    if (at.length == 0) {
      return;
    }
    Matcher m = pattern.matcher(text);
    // Transparent bounds: look-behinds still see the text before the attempted position.
    m.useTransparentBounds(true).useAnchoringBounds(false);
    int end = 0;
    for (int i : at) {
      // As a search would: a match resumes the search at its end, so starts inside it are skipped.
      if (i < end) {
        continue;
      }
      m.region(i, text.length());
      if (m.lookingAt()) {
        end = Math.max(m.end(), i + 1);
        collect(m, text, out);
      }
    }
  }

  private boolean containsAny(String lower) {
    for (String n : needles) {
      if (lower.contains(n)) {
        return true;
      }
    }
    return false;
  }

  private void collect(Matcher m, String text, List<Candidate> out) {
    String value = m.group(1);
    if (value != null && check.test(value, text, m.start(1), m.end(1))) {
      out.add(new Candidate(new SensitiveMatch(SensitiveMatch.Kind.PII, type, m.start(1), m.end(1)), priority));
    }
  }
}
