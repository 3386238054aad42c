package io.mcpwarden.core.auth;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A request that could not be authenticated or authorized, with the RFC 6750 error code that
 * tells the client what to do next.
 *
 * <p>The description goes to the client in {@code error_description}; it never holds the token or
 * anything taken from it without checking.
 */
public final class AuthException extends Exception {
  private static final long serialVersionUID = 1L;

  /** RFC 6750 §3.1 error codes, plus one for an authorization server that cannot be reached. */
  public enum Error {
    /** Malformed request: token in the query, wrong scheme, duplicate headers (HTTP 400). */
    INVALID_REQUEST("invalid_request", 400),
    /** No token was sent (HTTP 401, no error code in the challenge). */
    MISSING_TOKEN(null, 401),
    /** The token is expired, revoked, malformed or not for this gateway (HTTP 401). */
    INVALID_TOKEN("invalid_token", 401),
    /** The token is valid but lacks scopes (HTTP 403). */
    INSUFFICIENT_SCOPE("insufficient_scope", 403),
    /** The token could not be checked now (introspection or key fetch failed; HTTP 503). */
    TEMPORARILY_UNAVAILABLE(null, 503);

    private final String code;
    private final int status;

    Error(String code, int status) {
      this.code = code;
      this.status = status;
    }

    /** The {@code error} value of the challenge, or null when none is sent. */
    public String code() {
      return code;
    }

    public int status() {
      return status;
    }
  }

  private final Error error;
  private final transient Set<String> requiredScopes;

  public AuthException(Error error, String description) {
    this(error, description, Set.of());
  }

  public AuthException(Error error, String description, Set<String> requiredScopes) {
    super(description, null, false, false);
    this.error = error;
    this.requiredScopes = Collections.unmodifiableSet(new LinkedHashSet<>(requiredScopes)); // order kept for the challenge
  }

  public static AuthException invalidToken(String description) {
    return new AuthException(Error.INVALID_TOKEN, description);
  }

  public static AuthException invalidRequest(String description) {
    return new AuthException(Error.INVALID_REQUEST, description);
  }

  public static AuthException insufficientScope(String description, Set<String> required) {
    return new AuthException(Error.INSUFFICIENT_SCOPE, description, required);
  }

  public Error error() {
    return error;
  }

  /** For {@link Error#INSUFFICIENT_SCOPE}: every scope the operation needs. */
  public Set<String> requiredScopes() {
    return requiredScopes;
  }
}
