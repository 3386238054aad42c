package io.mcpwarden.core.detect.secret;

import io.mcpwarden.core.detect.SensitiveDataScanner;
import io.mcpwarden.core.detect.SensitiveMatch;
import io.mcpwarden.core.detect.SpanResolver;
import io.mcpwarden.core.detect.SpanResolver.Candidate;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds credentials in text: typed rules for cloud keys, source-hosting, messaging, payment and AI
 * provider tokens, private keys, JWTs and connection strings, then context rules for passwords and
 * generic high-entropy secrets assigned to secret-like keys.
 *
 * <p>The gateway runs it on tool arguments (to stop secrets leaving) and tool results (to redact
 * them before the model reads them). Documentation examples and placeholders are not reported
 * ({@link LookAlikes}). Where rules overlap, the most specific one names the span.
 *
 * <p>Thread-safe and stateless; one instance serves the whole gateway.
 */
public final class SecretScanner implements SensitiveDataScanner {
  private final List<SecretRule> rules;
  private final Keywords keywords;

  private SecretScanner(List<SecretRule> rules) {
    this.rules = rules;
    this.keywords = Keywords.of(rules);
  }

  /** The scanner with the built-in rules. */
  public static SecretScanner defaults() {
    return new SecretScanner(SecretRules.defaults());
  }

  @Override
  public List<SensitiveMatch> scan(String text) {
    Keywords.Found found = keywords.scan(text);
    List<Candidate> candidates = new ArrayList<>();
    for (SecretRule rule : rules) {
      rule.find(text, found, candidates);
    }
    return SpanResolver.resolve(candidates);
  }
}
