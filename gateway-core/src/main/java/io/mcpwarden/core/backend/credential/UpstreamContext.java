package io.mcpwarden.core.backend.credential;

import io.mcpwarden.core.secret.Secret;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * On whose behalf an upstream session makes its requests: the front session's owner and, when
 * the front is authenticated, the client's current validated access token.
 *
 * <p>The token is reached through a supplier because a client refreshes its token during a
 * long session; the front session holds the latest one and every upstream request reads it
 * anew. The token is used for exactly one thing: as the subject token of an RFC 8693 exchange
 * ({@link TokenExchangeFlow}). It is never sent to an upstream.
 *
 * @param subject the front session's owner (never null; {@code anonymous} when auth is off)
 * @param subjectToken the client's current validated access token, or a supplier of null
 */
public record UpstreamContext(String subject, Supplier<Secret> subjectToken) {

  /** No user: sessions opened without front authentication. */
  public static final UpstreamContext ANONYMOUS = new UpstreamContext("anonymous", () -> null);

  public UpstreamContext {
    subject = subject == null ? "anonymous" : subject;
    subjectToken = subjectToken == null ? () -> null : subjectToken;
  }

  /** A context with a fixed token (tests, one-shot requests). */
  public static UpstreamContext of(String subject, Secret token) {
    return new UpstreamContext(subject, () -> token);
  }

  /** The client's token at this moment, if the front session has one. */
  public Optional<Secret> currentSubjectToken() {
    return Optional.ofNullable(subjectToken.get());
  }

  @Override
  public String toString() {
    return "UpstreamContext[" + subject + "]";
  }
}
