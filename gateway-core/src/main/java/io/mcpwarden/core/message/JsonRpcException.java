package io.mcpwarden.core.message;

import tools.jackson.databind.JsonNode;

/**
 * A failure that maps to one JSON-RPC error response.
 *
 * <p>Thrown anywhere on the request path so the edge can answer with the right code without
 * knowing which component failed.
 */
public class JsonRpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int code;
  private final transient JsonNode data;

  public JsonRpcException(int code, String message) {
    this(code, message, null);
  }

  public JsonRpcException(int code, String message, JsonNode data) {
    super(message);
    this.code = code;
    this.data = data;
  }

  public int code() {
    return code;
  }

  public JsonNode data() {
    return data;
  }
}
