package io.mcpwarden.core.backend.credential;

/**
 * The gateway could not obtain its credential for an upstream: the token endpoint refused or
 * could not be reached, or token exchange had no subject token.
 *
 * <p>The message is short and safe to show a client (it becomes part of a JSON-RPC error); the
 * details the operator needs are logged where the failure happens. Never holds a token.
 */
public class CredentialException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CredentialException(String message) {
    super(message);
  }

  public CredentialException(String message, Throwable cause) {
    super(message, cause);
  }
}
