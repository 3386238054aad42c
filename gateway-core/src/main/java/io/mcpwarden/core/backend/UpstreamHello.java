package io.mcpwarden.core.backend;

import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.protocol.ProtocolVersions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the initialize request the gateway sends to upstreams and checks their answer.
 *
 * <p>Both transports use it, so an upstream sees the same client identity whatever the transport.
 */
public final class UpstreamHello {
  public static final String CLIENT_NAME = "mcp-warden";
  public static final String CLIENT_VERSION = "0.1.0";

  private UpstreamHello() {}

  /** The params of an initialize request declaring the given client capabilities. */
  public static ObjectNode initializeParams(ObjectNode capabilities) {
    ObjectNode params = JsonRpc.NODES.objectNode();
    params.put("protocolVersion", ProtocolVersions.LATEST);
    params.set("capabilities", capabilities == null ? JsonRpc.NODES.objectNode() : capabilities.deepCopy());
    ObjectNode info = params.putObject("clientInfo");
    info.put("name", CLIENT_NAME);
    info.put("version", CLIENT_VERSION);
    return params;
  }

  /** Capabilities declared to a shared upstream, which may serve clients of any kind. */
  public static ObjectNode allClientCapabilities() {
    ObjectNode caps = JsonRpc.NODES.objectNode();
    caps.putObject("sampling");
    caps.putObject("elicitation");
    caps.putObject("roots").put("listChanged", true);
    return caps;
  }

  /**
   * Validates an initialize response and returns its result.
   *
   * @throws BackendException when it is an error or names a version the gateway does not speak
   */
  public static ObjectNode checkInitializeResponse(String server, ObjectNode response) {
    JsonNode error = response.get("error");
    if (error != null) {
      throw new BackendException(server, "initialize failed: " + error.path("message").asString(""));
    }
    JsonNode result = response.get("result");
    if (!(result instanceof ObjectNode r)) {
      throw new BackendException(server, "initialize answered without a result object");
    }
    String version = r.path("protocolVersion").asString("");
    if (!ProtocolVersions.isSupported(version)) {
      throw new BackendException(server, "upstream negotiated unsupported protocol version '" + version + "'");
    }
    return r;
  }
}
