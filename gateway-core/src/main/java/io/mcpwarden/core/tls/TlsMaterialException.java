package io.mcpwarden.core.tls;

/**
 * A certificate, key or pin could not be used; the message names the file and says how to fix it.
 *
 * <p>Checked, because every caller (config loading, listener start, certificate reload) must
 * decide whether it fails a start or keeps the previous material.
 */
public final class TlsMaterialException extends Exception {
  private static final long serialVersionUID = 1L;

  public TlsMaterialException(String message) {
    super(message);
  }

  public TlsMaterialException(String message, Throwable cause) {
    super(message, cause);
  }
}
