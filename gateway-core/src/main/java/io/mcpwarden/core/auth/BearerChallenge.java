package io.mcpwarden.core.auth;

import java.net.URI;
import java.util.Collection;

/**
 * Formats the {@code WWW-Authenticate: Bearer} challenge of RFC 6750 with the RFC 9728 {@code
 * resource_metadata} parameter.
 *
 * <p>Every refusal carries the metadata URL and the scopes to ask for, so a client can go from a
 * 401 or 403 to a working token without prior configuration.
 */
public final class BearerChallenge {
  private BearerChallenge() {}

  /**
   * @param metadata absolute URL of the protected resource metadata
   * @param scopes the scopes to request (omitted when empty)
   * @param error RFC 6750 error code, or null (no token was sent)
   * @param description human-readable detail, or null; characters outside RFC 6750's set are
   *     replaced
   */
  public static String format(URI metadata, Collection<String> scopes, String error, String description) {
    StringBuilder b = new StringBuilder("Bearer resource_metadata=\"").append(clean(metadata.toString())).append('"');
    if (scopes != null && !scopes.isEmpty()) {
      b.append(", scope=\"").append(clean(String.join(" ", scopes))).append('"');
    }
    if (error != null) {
      b.append(", error=\"").append(clean(error)).append('"');
      if (description != null && !description.isEmpty()) {
        b.append(", error_description=\"").append(clean(description, 200)).append('"');
      }
    }
    return b.toString();
  }

  /** The challenge for an {@link AuthException}. */
  public static String format(URI metadata, Collection<String> defaultScopes, AuthException e) {
    Collection<String> scopes = e.requiredScopes().isEmpty() ? defaultScopes : e.requiredScopes();
    return format(metadata, scopes, e.error().code(), e.error().code() == null ? null : e.getMessage());
  }

  /** RFC 6750 §3: quoted values hold only %x20-21 / %x23-5B / %x5D-7E. */
  static String clean(String s) {
    return clean(s, Integer.MAX_VALUE);
  }

  private static String clean(String s, int max) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' ? c : '_');
    }
    return b.toString();
  }
}
