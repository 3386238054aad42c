package io.mcpwarden.core.detect.secret;

import io.mcpwarden.core.detect.SpanResolver.Candidate;
import java.util.List;

/**
 * One way of finding secrets in text. Typed pattern rules cover credentials with a recognisable
 * shape; the other kinds read context (an assignment's key, a {@code curl -u} argument, the userinfo
 * of a URL) where the shape alone says nothing.
 */
sealed interface SecretRule permits PatternRule, AssignmentRule, CurlUserRule, UrlCredentialRule {

  /** Priority of typed, shape-recognised credentials in overlap resolution. */
  int TYPED = 100;

  /**
   * Adds this rule's findings in {@code text} to {@code out}.
   *
   * @param found which of the rules' {@link #keywords} occur in {@code text}, found in one pass
   *     shared by all rules
   */
  void find(String text, Keywords.Found found, List<Candidate> out);

  /** Lower-case strings this rule asks {@code found} about: its pre-filter. */
  List<String> keywords();
}
