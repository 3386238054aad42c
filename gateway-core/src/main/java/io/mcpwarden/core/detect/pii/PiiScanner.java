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

  /** Characters of context kept before and after the digits of a window. */
  static final int BEFORE = 64;

  static final int AFTER = 112;

  /**
   * The neighbourhoods of the digits in {@code text}, merged: every rule except names and e-mail
   * needs a digit in its match, and prose has few, so those rules scan these windows instead of
   * the whole text (the same findings at a fraction of the cost).
   */
  static List<int[]> digitWindows(String text) {
    List<int[]> windows = new ArrayList<>();
    int n = text.length();
    for (int i = 0; i < n; i++) {
      if (!Character.isDigit(text.charAt(i))) {
        continue;
      }
      int start = Math.max(0, i - BEFORE);
      int end = Math.min(n, i + 1 + AFTER);
      int[] last = windows.isEmpty() ? null : windows.get(windows.size() - 1);
      if (last != null && start <= last[1]) {
        last[1] = end;
      } else {
        windows.add(new int[] {start, end});
      }
    }
    return windows;
  }

  @Override
  public List<SensitiveMatch> scan(String text) {
    List<Candidate> candidates = new ArrayList<>();
    String lower = text.toLowerCase(Locale.ROOT);
    List<int[]> windows = digitWindows(text);
    for (PiiRule rule : rules) {
      rule.find(text, lower, windows, candidates);
    }
    return SpanResolver.resolve(candidates);
  }
}
