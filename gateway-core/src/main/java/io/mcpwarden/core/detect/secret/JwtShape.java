package io.mcpwarden.core.detect.secret;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Structural test of a JSON Web Token: the header decodes to a JSON object with an {@code alg},
 * and the payload begins like a JSON object.
 *
 * <p>{@code eyJ…​.eyJ…​.…} strings abound in test fixtures and truncated logs; decoding the header
 * separates real tokens from look-alikes cheaply, without verifying any signature.
 */
final class JwtShape {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The signature of the jwt.io documentation token (HS256, "John Doe"), a public example. */
  private static final String JWT_IO_EXAMPLE_SIGNATURE = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

  private JwtShape() {}

  static boolean valid(String token) {
    int dot1 = token.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot1 <= 0 || dot2 < 0) {
      return false;
    }
    if (token.endsWith(JWT_IO_EXAMPLE_SIGNATURE)) {
      return false;
    }
    byte[] header = decode(token.substring(0, dot1), false);
    if (header == null) {
      return false;
    }
    try {
      JsonNode h = JSON.readTree(new String(header, StandardCharsets.UTF_8));
      if (!h.isObject() || !h.has("alg")) {
        return false;
      }
    } catch (RuntimeException e) {
      return false;
    }
    byte[] payload = decode(token.substring(dot1 + 1, dot2), true);
    return payload != null && payload.length > 1 && payload[0] == '{';
  }

  /** Base64url decoding; with {@code prefix}, a truncated segment decodes as far as it goes. */
  private static byte[] decode(String segment, boolean prefix) {
    String s = segment;
    if (prefix) {
      s = s.substring(0, s.length() - s.length() % 4);
    } else if (s.length() % 4 != 0) {
      s = s + "=".repeat(4 - s.length() % 4);
    }
    try {
      return Base64.getUrlDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
