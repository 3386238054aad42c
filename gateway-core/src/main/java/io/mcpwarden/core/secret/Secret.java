package io.mcpwarden.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret value (a token, a client secret, an API key) that never shows itself by accident.
 *
 * <p>{@link #toString()} is redacted, so a secret that ends up in a log line, an exception message
 * or a record's {@code toString} prints as {@code [redacted]}; the value is only reachable through
 * {@link #reveal()}, which makes every use greppable. Comparison is constant-time.
 */
public final class Secret {
  private static final String REDACTED = "[redacted]";

  private final byte[] utf8;

  private Secret(byte[] utf8) {
    this.utf8 = utf8;
  }

  /** Wraps a value; it must not be empty. */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("a secret must not be empty");
    }
    return new Secret(value.getBytes(StandardCharsets.UTF_8));
  }

  static Secret ofUtf8(byte[] utf8) {
    if (utf8.length == 0) {
      throw new IllegalArgumentException("a secret must not be empty");
    }
    return new Secret(utf8.clone());
  }

  /** The value itself: only where it is handed to the party it is meant for. */
  public String reveal() {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  byte[] utf8() {
    return utf8.clone();
  }

  /** Length in UTF-8 bytes (for size limits; says nothing else about the value). */
  public int length() {
    return utf8.length;
  }

  /** Constant-time comparison with another secret (time depends on lengths only). */
  public boolean matches(Secret other) {
    return other != null && MessageDigest.isEqual(utf8, other.utf8);
  }

  /** Constant-time comparison with a plain value, for checking a presented credential. */
  public boolean matches(String value) {
    return value != null && MessageDigest.isEqual(utf8, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Identity only: use {@link #matches} to compare values, so no comparison leaks timing. */
  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return REDACTED;
  }
}
