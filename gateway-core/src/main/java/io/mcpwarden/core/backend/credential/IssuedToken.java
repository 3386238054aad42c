package io.mcpwarden.core.backend.credential;

import io.mcpwarden.core.secret.Secret;
import java.time.Duration;
import java.time.Instant;

/**
 * An access token the gateway obtained from an authorization server, with its lifetime.
 *
 * @param value the token (redacted in {@code toString})
 * @param obtainedAt when the token request was sent (lifetimes count from there, erring early)
 * @param expiresAt when the token stops being valid
 */
record IssuedToken(Secret value, Instant obtainedAt, Instant expiresAt) {

  /**
   * When to stop using the token: {@code skew} before expiry, but never later than halfway
   * through a lifetime shorter than twice the skew, so a short-lived token is still used.
   */
  Instant refreshAt(Duration skew) {
    Duration lifetime = Duration.between(obtainedAt, expiresAt);
    Duration margin = skew.compareTo(lifetime.dividedBy(2)) > 0 ? lifetime.dividedBy(2) : skew;
    return expiresAt.minus(margin);
  }
}
