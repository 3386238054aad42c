package io.mcpwarden.core.auth;

import io.mcpwarden.core.secret.Secret;

/**
 * The authentication of one HTTP request as it travels through the gateway: who sent it, and
 * whether a guard refused it for a reason the edge must turn into an OAuth challenge.
 *
 * <p>A refusal travels in this object, made by the edge for this request only, and never in the
 * JSON-RPC response, so nothing an upstream returns can make the edge send a challenge.
 */
public final class AuthContext {
  private final Principal principal;
  private final Secret token;
  private volatile AuthException refusal;

  public AuthContext(Principal principal) {
    this(principal, null);
  }

  /**
   * @param token the validated bearer token itself, kept only so upstreams configured for RFC 8693
   *     token exchange can exchange it; it is never forwarded
   */
  public AuthContext(Principal principal, Secret token) {
    this.principal = principal;
    this.token = token;
  }

  public Principal principal() {
    return principal;
  }

  /** The validated bearer token, or null when not kept. */
  public Secret token() {
    return token;
  }

  /** Asks the edge to answer with this challenge (401 or 403) instead of a JSON-RPC error. */
  public void refuse(AuthException e) {
    refusal = e;
  }

  /** The refusal a guard recorded, or null. */
  public AuthException refusal() {
    return refusal;
  }
}
