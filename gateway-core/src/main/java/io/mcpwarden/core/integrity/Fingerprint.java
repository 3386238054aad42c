package io.mcpwarden.core.integrity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pinned form of an upstream definition: the fingerprinted members of the item and the
 * SHA-256 of their canonical JSON ({@link CanonicalJson}).
 *
 * <p>Only the members of {@link ItemKind#fields()} are kept, so a server adding {@code _meta} does
 * not look like a rug pull while any change to what the model reads does.
 *
 * @param definition the projected item (only fingerprinted members present)
 * @param canonical its canonical JSON text
 * @param sha256 {@code sha256:} and the lower-case hex digest of the canonical text
 */
public record Fingerprint(ObjectNode definition, String canonical, String sha256) {

  /** The fingerprint of one item as an upstream listed it. */
  public static Fingerprint of(ItemKind kind, ObjectNode item) {
    ObjectNode projected = JsonNodeFactory.instance.objectNode();
    for (String field : kind.fields()) {
      JsonNode v = item.get(field);
      if (v != null && !v.isMissingNode()) {
        projected.set(field, v.deepCopy());
      }
    }
    String canonical = CanonicalJson.compact(projected);
    return new Fingerprint(projected, canonical, digest(canonical));
  }

  static String digest(String canonical) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
