package io.mcpwarden.it.support;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads what fixture tools answer: a JSON document in the first text content, whether it came
 * through the SDK client or as a raw JSON-RPC response.
 */
public final class CallResults {
  private CallResults() {}

  /** The JSON text of an SDK tool result, parsed. */
  public static JsonNode json(McpSchema.CallToolResult result) {
    if (!(result.content().getFirst() instanceof McpSchema.TextContent text)) {
      throw new AssertionError("first content is not text: " + result);
    }
    return RawMcp.JSON.readTree(text.text());
  }

  /** The JSON text of a raw {@code tools/call} response, parsed. */
  public static JsonNode json(JsonNode response) {
    JsonNode text = response.path("result").path("content").path(0).path("text");
    if (!text.isString()) {
      throw new AssertionError("not a text tool result: " + response);
    }
    return RawMcp.JSON.readTree(text.asString());
  }

  /** An SDK tools/call request (the builder, since the SDK deprecated the constructors). */
  public static McpSchema.CallToolRequest tool(String name, Map<String, Object> arguments) {
    return McpSchema.CallToolRequest.builder(name).arguments(arguments).build();
  }

  /** A raw {@code tools/call} request body. */
  public static String callBody(Object id, String tool, String argumentsJson) {
    String idJson = id instanceof String s ? "\"" + s + "\"" : String.valueOf(id);
    return "{\"jsonrpc\":\"2.0\",\"id\":" + idJson + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
        + "\",\"arguments\":" + argumentsJson + "}}";
  }
}
