package io.mcpwarden.core.route;

import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.message.JsonRpcException;
import io.mcpwarden.core.protocol.ListKind;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The gateway's own opaque pagination cursors: list kind and offset, signed with a per-session key.
 *
 * <p>Upstream cursors never leak to clients, and a cursor forged, altered or carried to another
 * session fails the signature check and is refused with -32602.
 */
final class ListCursor {
  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DEC = Base64.getUrlDecoder();

  private ListCursor() {}

  static String encode(byte[] key, ListKind kind, int offset) {
    String body = kind.name() + ":" + offset;
    return ENC.encodeToString(body.getBytes(StandardCharsets.UTF_8)) + "." + ENC.encodeToString(mac(key, body));
  }

  /** The offset a cursor points at; 0 for no cursor. */
  static int decode(byte[] key, ListKind kind, String cursor) {
    if (cursor == null) {
      return 0;
    }
    try {
      int dot = cursor.indexOf('.');
      if (dot < 0 || cursor.length() > 200) {
        throw invalid();
      }
      String body = new String(DEC.decode(cursor.substring(0, dot)), StandardCharsets.UTF_8);
      byte[] sig = DEC.decode(cursor.substring(dot + 1));
      if (!MessageDigest.isEqual(sig, mac(key, body))) {
        throw invalid();
      }
      String[] parts = body.split(":", 2);
      if (parts.length != 2 || !parts[0].equals(kind.name())) {
        throw invalid();
      }
      int offset = Integer.parseInt(parts[1]);
      if (offset < 0) {
        throw invalid();
      }
      return offset;
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  private static JsonRpcException invalid() {
    return new JsonRpcException(JsonRpc.INVALID_PARAMS, "Invalid cursor");
  }

  private static byte[] mac(byte[] key, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Arrays.copyOf(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)), 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
