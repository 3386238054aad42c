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
   * @param lower {@code text} lower-cased (Locale.ROOT), shared by all rules for keyword checks
   */
  void find(String text, String lower, List<Candidate> out);
}
