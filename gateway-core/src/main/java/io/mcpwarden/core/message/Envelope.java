package io.mcpwarden.core.message;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One JSON-RPC message as received: the raw object plus parsed views of its id and method.
 *
 * <p>The raw {@link ObjectNode} is what travels on; the gateway never decodes into records and
 * re-encodes, so unknown fields and {@code _meta} pass through untouched.
 */
public final class Envelope {
  /** What kind of JSON-RPC message this is. */
  public enum Kind {
    REQUEST,
    NOTIFICATION,
    RESPONSE
  }

  private final ObjectNode raw;
  private final Kind kind;
  private final JsonNode id;
  private final String method;

  private Envelope(ObjectNode raw, Kind kind, JsonNode id, String method) {
    this.raw = raw;
    this.kind = kind;
    this.id = id;
    this.method = method;
  }

  /**
   * Classifies a parsed JSON value as a JSON-RPC message.
   *
   * @throws JsonRpcException with {@link JsonRpc#INVALID_REQUEST} when it is not a valid
   *     JSON-RPC 2.0 object (arrays, i.e. batches, included)
   */
  public static Envelope of(JsonNode node) {
    if (node == null || node.isArray()) {
      throw new JsonRpcException(
          JsonRpc.INVALID_REQUEST,
          "JSON-RPC batches are not supported (removed from MCP in 2025-06-18): send one message per POST");
    }
    if (!(node instanceof ObjectNode obj)) {
      throw new JsonRpcException(JsonRpc.INVALID_REQUEST, "A JSON-RPC message must be a JSON object");
    }
    JsonNode version = obj.get("jsonrpc");
    if (version == null || !version.isString() || !"2.0".equals(version.asString())) {
      throw new JsonRpcException(JsonRpc.INVALID_REQUEST, "\"jsonrpc\" must be \"2.0\"");
    }
    JsonNode id = obj.get("id");
    JsonNode method = obj.get("method");
    if (method != null) {
      if (!method.isString() || method.asString().isEmpty()) {
        throw new JsonRpcException(JsonRpc.INVALID_REQUEST, "\"method\" must be a non-empty string");
      }
      JsonNode params = obj.get("params");
      if (params != null && !params.isObject()) {
        throw new JsonRpcException(JsonRpc.INVALID_REQUEST, "\"params\" must be an object");
      }
      if (id == null) {
        return new Envelope(obj, Kind.NOTIFICATION, null, method.asString());
      }
      checkId(id);
      return new Envelope(obj, Kind.REQUEST, id, method.asString());
    }
    if (id != null && (obj.has("result") ^ obj.has("error"))) {
      checkId(id);
      return new Envelope(obj, Kind.RESPONSE, id, null);
    }
    throw new JsonRpcException(
        JsonRpc.INVALID_REQUEST, "Not a JSON-RPC request, notification or response");
  }

  private static void checkId(JsonNode id) {
    if (!(id.isString() || id.isIntegralNumber())) {
      throw new JsonRpcException(JsonRpc.INVALID_REQUEST, "\"id\" must be a string or an integer");
    }
  }

  public ObjectNode raw() {
    return raw;
  }

  public Kind kind() {
    return kind;
  }

  /** The id of a request or response; null for a notification. */
  public JsonNode id() {
    return id;
  }

  /** The method of a request or notification; null for a response. */
  public String method() {
    return method;
  }

  /** The params object, or null when absent. */
  public ObjectNode params() {
    JsonNode p = raw.get("params");
    return p instanceof ObjectNode o ? o : null;
  }

  public boolean isRequest() {
    return kind == Kind.REQUEST;
  }

  /** A string param or null. */
  public String param(String name) {
    ObjectNode p = params();
    JsonNode v = p == null ? null : p.get(name);
    return v != null && v.isString() ? v.asString() : null;
  }
}
