package io.mcpwarden.core.secret;

/**
 * The secret store or its key cannot be used: missing, unreadable, wrong key, tampered, or a name
 * that is not there.
 *
 * <p>Messages name files and secret names, never values or key bytes, so they are safe to print.
 */
public class SecretStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SecretStoreException(String message) {
    super(message);
  }

  public SecretStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
