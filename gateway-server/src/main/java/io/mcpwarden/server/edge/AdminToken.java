package io.mcpwarden.server.edge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bearer token of the admin endpoints, kept only as a digest and checked in constant time.
 *
 * <p>One value for every admin handler, so the session and tool endpoints cannot drift apart in
 * how they compare the token.
 */
final class AdminToken {
  private final byte[] digest;

  /** @param token at least 16 characters (see {@link SessionAdminHandler#checkToken}) */
  AdminToken(String token) {
    this.digest = digest(SessionAdminHandler.checkToken(token));
  }

  /** Whether an {@code Authorization} header value carries this token as a bearer token. */
  boolean matches(String authorizationHeader) {
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    // Digests of equal length compared in constant time: neither content nor length leaks.
    return MessageDigest.isEqual(digest, digest(authorizationHeader.substring(7).strip()));
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
