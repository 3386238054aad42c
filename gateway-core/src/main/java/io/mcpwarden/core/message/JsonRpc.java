package io.mcpwarden.core.message;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builders and constants for JSON-RPC 2.0 messages.
 *
 * <p>Kept in one place so every error the gateway makes carries the same shape and the codes of
 * the JSON-RPC and MCP specifications are never spelled twice.
 */
public final class JsonRpc {
  public static final int PARSE_ERROR = -32700;
  public static final int INVALID_REQUEST = -32600;
  public static final int METHOD_NOT_FOUND = -32601;
  public static final int INVALID_PARAMS = -32602;
  public static final int INTERNAL_ERROR = -32603;
  /** MCP 2025-11-25: resource not found. */
  public static final int RESOURCE_NOT_FOUND = -32002;
  /** Gateway-defined (implementation range -32000..-32019): request refused by a guard. */
  public static final int GATEWAY_DENIED = -32001;
  /** Gateway-defined: a limit was exceeded (rate, size, streams). */
  public static final int LIMIT_EXCEEDED = -32003;
  /** Gateway-defined: the upstream server is unavailable or timed out. */
  public static final int UPSTREAM_UNAVAILABLE = -32004;

  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonRpc() {}

  public static ObjectNode error(JsonNode id, int code, String message) {
    return error(id, code, message, null);
  }

  /** Builds an error response; a null id is written as JSON null, as JSON-RPC asks when unreadable. */
  public static ObjectNode error(JsonNode id, int code, String message, JsonNode data) {
    ObjectNode root = NODES.objectNode();
    root.put("jsonrpc", "2.0");
    root.set("id", id == null ? NODES.nullNode() : id);
    ObjectNode err = root.putObject("error");
    err.put("code", code);
    err.put("message", message);
    if (data != null) {
      err.set("data", data);
    }
    return root;
  }

  public static ObjectNode result(JsonNode id, JsonNode result) {
    ObjectNode root = NODES.objectNode();
    root.put("jsonrpc", "2.0");
    root.set("id", id);
    root.set("result", result);
    return root;
  }

  public static ObjectNode notification(String method, ObjectNode params) {
    ObjectNode root = NODES.objectNode();
    root.put("jsonrpc", "2.0");
    root.put("method", method);
    if (params != null) {
      root.set("params", params);
    }
    return root;
  }

  public static ObjectNode request(JsonNode id, String method, ObjectNode params) {
    ObjectNode root = notification(method, params);
    root.set("id", id);
    return root;
  }

  /** Error code of a response, or 0 when it is a result. */
  public static int errorCode(ObjectNode response) {
    JsonNode err = response.get("error");
    return err != null && err.has("code") ? err.get("code").asInt() : 0;
  }
}
