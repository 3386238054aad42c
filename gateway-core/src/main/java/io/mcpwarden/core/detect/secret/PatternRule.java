package io.mcpwarden.core.detect.secret;

import io.mcpwarden.core.detect.SensitiveMatch;
import io.mcpwarden.core.detect.SpanResolver.Candidate;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A secret recognised by its shape: a regular expression whose capture group is the secret, a
 * keyword pre-filter, a minimum entropy and an optional structural check (e.g. a JWT header that
 * decodes to JSON).
 *
 * @param type the placeholder type, e.g. {@code github-token}
 * @param pattern the expression; {@code group} delimits the secret inside it
 * @param group the capture group holding the secret (0 = the whole match)
 * @param keywords lower-case strings of which at least one must occur before the expression runs
 *     (cheap pre-filter; empty = always run)
 * @param minEntropy minimum Shannon entropy (bits per character) of the secret
 * @param check further test of the secret's value
 * @param priority rank in overlap resolution
 */
record PatternRule(
    String type,
    Pattern pattern,
    int group,
    List<String> keywords,
    double minEntropy,
    Predicate<String> check,
    int priority)
    implements SecretRule {

  PatternRule {
    keywords = List.copyOf(keywords);
  }

  /** A typed rule: group 1, entropy at least 3, no extra check. */
  static PatternRule of(String type, String regex, String... keywords) {
    return new PatternRule(
        type, Pattern.compile(regex), 1, List.of(keywords), 3.0, v -> true, TYPED);
  }

  PatternRule entropy(double bits) {
    return new PatternRule(type, pattern, group, keywords, bits, check, priority);
  }

  PatternRule check(Predicate<String> test) {
    return new PatternRule(type, pattern, group, keywords, minEntropy, test, priority);
  }

  PatternRule priority(int rank) {
    return new PatternRule(type, pattern, group, keywords, minEntropy, check, rank);
  }

  @Override
  public void find(String text, Keywords.Found found, List<Candidate> out) {
    if (!found.any(keywords)) {
      return;
    }
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      String value = m.group(group);
      if (value == null
          || Entropy.shannon(value) < minEntropy
          || LookAlikes.isLookAlike(value)
          || !check.test(value)) {
        continue;
      }
      out.add(
          new Candidate(
              new SensitiveMatch(SensitiveMatch.Kind.SECRET, type, m.start(group), m.end(group)),
              priority));
    }
  }
}
