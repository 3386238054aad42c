package io.mcpwarden.bench;

import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole of the benchmark upstream's MCP behaviour: initialize, ping, tools/list and an
 * {@code echo} tool, as a function from one JSON-RPC message to its answer.
 *
 * <p>It is deliberately tiny and transport-free so that the HTTP and stdio modes of {@link
 * EchoServer} do exactly the same work, and a benchmark through any bridge measures the bridge,
 * not the server.
 */
public final class EchoProtocol {
  /** Revisions answered as asked; anything else is answered with the first. */
  static final List<String> VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");

  static final String NAME = "warden-bench-echo";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonMapper json = JsonMapper.builder().build();
  private final ObjectNode toolList;

  public EchoProtocol() {
    ObjectNode tool = NODES.objectNode();
    tool.put("name", "echo");
    tool.put("description", "Returns its message unchanged.");
    ObjectNode schema = tool.putObject("inputSchema");
    schema.put("type", "object");
    schema.putObject("properties").putObject("message").put("type", "string");
    schema.putArray("required").add("message");
    this.toolList = NODES.objectNode();
    toolList.putArray("tools").add(tool);
  }

  /** A parsed message, or null when the bytes are not a JSON object. */
  JsonNode parse(byte[] bytes, int offset, int length) {
    try {
      JsonNode n = json.readTree(bytes, offset, length);
      return n instanceof ObjectNode ? n : null;
    } catch (JacksonException e) {
      return null;
    }
  }

  byte[] write(JsonNode message) {
    return json.writeValueAsBytes(message);
  }

  /** Whether a parsed message is a request (has a method and an id). */
  static boolean isRequest(JsonNode msg) {
    return msg.has("method") && msg.has("id");
  }

  static boolean isInitialize(JsonNode msg) {
    return isRequest(msg) && "initialize".equals(msg.path("method").asString(""));
  }

  /** The answer to a request; null for notifications and responses, which need none. */
  public ObjectNode answer(JsonNode msg) {
    if (!isRequest(msg)) {
      return null;
    }
    JsonNode id = msg.get("id");
    JsonNode params = msg.path("params");
    return switch (msg.path("method").asString("")) {
      case "initialize" -> result(id, initializeResult(params.path("protocolVersion").asString("")));
      case "ping" -> result(id, NODES.objectNode());
      case "tools/list" -> result(id, toolList);
      case "tools/call" -> call(id, params);
      default -> error(id, -32601, "Method not found");
    };
  }

  /** The InitializeResult for a client asking for {@code requested}. */
  public static ObjectNode initializeResult(String requested) {
    ObjectNode r = NODES.objectNode();
    r.put("protocolVersion", VERSIONS.contains(requested) ? requested : VERSIONS.getFirst());
    r.putObject("capabilities").putObject("tools");
    ObjectNode info = r.putObject("serverInfo");
    info.put("name", NAME);
    info.put("version", "1.0.0");
    return r;
  }

  private static ObjectNode call(JsonNode id, JsonNode params) {
    if (!"echo".equals(params.path("name").asString(""))) {
      return error(id, -32602, "Unknown tool: " + params.path("name").asString(""));
    }
    JsonNode message = params.path("arguments").path("message");
    if (!message.isString()) {
      return error(id, -32602, "echo needs arguments.message (a string)");
    }
    ObjectNode r = NODES.objectNode();
    ArrayNode content = r.putArray("content");
    ObjectNode text = content.addObject();
    text.put("type", "text");
    text.put("text", message.asString());
    r.put("isError", false);
    return result(id, r);
  }

  static ObjectNode result(JsonNode id, ObjectNode result) {
    ObjectNode r = NODES.objectNode();
    r.put("jsonrpc", "2.0");
    r.set("id", id);
    r.set("result", result);
    return r;
  }

  static ObjectNode error(JsonNode id, int code, String message) {
    ObjectNode r = NODES.objectNode();
    r.put("jsonrpc", "2.0");
    r.set("id", id == null ? NODES.nullNode() : id);
    ObjectNode e = r.putObject("error");
    e.put("code", code);
    e.put("message", message);
    return r;
  }
}
