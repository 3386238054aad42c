package io.mcpwarden.core.auth;

/**
 * The authentication of one HTTP request as it travels through the gateway: who sent it, and
 * whether a guard refused it for a reason the edge must turn into an OAuth challenge.
 *
 * <p>A refusal travels in this object, made by the edge for this request only, and never in the
 * JSON-RPC response, so nothing an upstream returns can make the edge send a challenge.
 */
public final class AuthContext {
  private final Principal principal;
  private volatile AuthException refusal;

  public AuthContext(Principal principal) {
    this.principal = principal;
  }

  public Principal principal() {
    return principal;
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
