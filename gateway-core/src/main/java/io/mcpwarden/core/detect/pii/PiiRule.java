package io.mcpwarden.core.detect.pii;

import io.mcpwarden.core.detect.SensitiveMatch;
import io.mcpwarden.core.detect.SpanResolver.Candidate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kind of personal data: a pattern (group 1 is the span), a check on the match, and a
 * priority for overlaps (checksummed identifiers outrank loosely shaped ones such as phone
 * numbers, so a card number is never reported as a phone).
 */
record PiiRule(String type, Pattern pattern, SpanCheck check, int priority) {

  static PiiRule of(String type, String regex, SpanCheck check, int priority) {
    return new PiiRule(type, Pattern.compile(regex), check, priority);
  }

  void find(String text, List<Candidate> out) {
    Matcher m = pattern.matcher(text);
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
