package io.mcpwarden.core.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Who sent a request, as proven by a validated access token.
 *
 * <p>Built only by an {@link Authenticator}; everything downstream (sessions, guards, audit) trusts
 * it and never looks at the token again.
 *
 * @param subject the token's {@code sub}
 * @param issuer the token's {@code iss} (null for the anonymous principal)
 * @param scopes granted scopes, from {@code scope} or {@code scp}
 * @param claims all claims of the token, for policies that need more than scopes
 * @param expiresAt when the token expires (null: unknown)
 * @param tokenId the token's {@code jti}, or null
 */
public record Principal(
    String subject, String issuer, Set<String> scopes, Map<String, Object> claims, Instant expiresAt, String tokenId) {

  /** The subject used when authentication is off. */
  public static final Principal ANONYMOUS = new Principal("anonymous", null, Set.of(), Map.of(), null, null);

  public Principal {
    scopes = Set.copyOf(scopes);
    claims = Map.copyOf(claims);
  }

  /**
   * The owner key of this principal's sessions: the subject qualified by its issuer, so that two
   * trusted issuers that both know an {@code alice} never share sessions. An issuer never holds a
   * space, so the form {@code subject [issuer]} cannot be forged by a crafted subject.
   */
  public String owner() {
    return issuer == null ? subject : subject + " [" + issuer + "]";
  }

  /** The subject part of an {@link #owner()} string. */
  public static String subjectOf(String owner) {
    int i = owner.lastIndexOf(" [");
    return i < 0 || !owner.endsWith("]") || owner.indexOf(' ', i + 2) >= 0 ? owner : owner.substring(0, i);
  }

  public boolean hasScopes(Set<String> required) {
    return scopes.containsAll(required);
  }

  @Override
  public String toString() {
    // Claims may hold personal data; keep them out of logs.
    return "Principal[" + owner() + ", scopes=" + scopes + "]";
  }
}
