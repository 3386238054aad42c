package io.mcpwarden.core.message;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses and writes JSON with the gateway's limits (nesting depth, string length).
 *
 * <p>Untrusted bytes are only ever read into a generic tree, never into typed objects, so no
 * deserialisation of attacker-chosen types can happen.
 */
public final class JsonCodec {
  private final JsonMapper mapper;

  public JsonCodec(int maxDepth, int maxStringLength) {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(maxDepth)
                    .maxStringLength(maxStringLength)
                    .build())
            .build();
    this.mapper = JsonMapper.builder(factory).build();
  }

  public JsonMapper mapper() {
    return mapper;
  }

  /**
   * Parses one JSON value.
   *
   * @throws JsonRpcException {@link JsonRpc#PARSE_ERROR} for malformed JSON, {@link
   *     JsonRpc#INVALID_REQUEST} when a limit such as nesting depth is exceeded
   */
  public JsonNode parse(byte[] bytes) {
    try {
      JsonNode node = mapper.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new JsonRpcException(JsonRpc.PARSE_ERROR, "Parse error: empty body");
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw new JsonRpcException(
          JsonRpc.INVALID_REQUEST, "Message exceeds a JSON limit: " + firstLine(e.getMessage()));
    } catch (tools.jackson.core.JacksonException e) {
      throw new JsonRpcException(JsonRpc.PARSE_ERROR, "Parse error: " + firstLine(e.getOriginalMessage()));
    }
  }

  public JsonNode parse(String text) {
    return parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public byte[] write(JsonNode node) {
    return mapper.writeValueAsBytes(node);
  }

  public String writeString(JsonNode node) {
    return mapper.writeValueAsString(node);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid JSON";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
