package io.mcpwarden.core.detect.pii;

import io.mcpwarden.core.detect.SensitiveDataScanner;
import io.mcpwarden.core.detect.SensitiveMatch;
import io.mcpwarden.core.detect.SpanResolver;
import io.mcpwarden.core.detect.SpanResolver.Candidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds personal data in text: e-mail addresses, phone numbers, payment cards (Luhn and network
 * prefix), IBANs (mod-97 and country length), US social security numbers, UK national insurance
 * numbers, Spanish DNI/NIE, Italian codici fiscali, IPv4 and IPv6 addresses, and person names and
 * street addresses in a few unambiguous forms.
 *
 * <p>Tool results often carry customer records the model does not need to see; the content guards
 * redact or mask what this reports, per data type and policy. Types are the {@link
 * SensitiveMatch#type()} strings {@code email}, {@code phone}, {@code payment-card}, {@code iban},
 * {@code us-ssn}, {@code uk-nino}, {@code es-dni}, {@code it-fiscal-code}, {@code ip-address},
 * {@code person} and {@code street-address}.
 *
 * <p>Most rules are tried only where their match can begin ({@link Anchors}: a digit run, a
 * {@code +}, an {@code @}, an upper-case letter…), found in one pass over the text, so prose costs
 * a few microseconds per kilobyte instead of a regular-expression search per rule.
 *
 * <p>Thread-safe and stateless.
 */
public final class PiiScanner implements SensitiveDataScanner {
  private final List<PiiRule> rules;

  private PiiScanner(List<PiiRule> rules) {
    this.rules = rules;
  }

  /** The scanner with the built-in rules. */
  public static PiiScanner defaults() {
    return new PiiScanner(PiiRules.defaults());
  }

  @Override
  public List<SensitiveMatch> scan(String text) {
    List<Candidate> candidates = new ArrayList<>();
    String lower = text.toLowerCase(Locale.ROOT);
    Anchors anchors = Anchors.of(text);
    for (PiiRule rule : rules) {
      rule.find(text, lower, anchors, candidates);
    }
    return SpanResolver.resolve(candidates);
  }
}
