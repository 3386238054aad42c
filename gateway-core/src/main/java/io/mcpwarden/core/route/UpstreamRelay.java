package io.mcpwarden.core.route;

import io.mcpwarden.core.backend.RelatedSink;
import io.mcpwarden.core.backend.UpstreamSession;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.session.FrontSession;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Relays what an upstream sends toward a client: requests get a client-facing id and are only
 * sent to clients that declared the matching capability; log messages are filtered by the
 * session's level.
 *
 * <p>Kept in one place because both request streams and the standalone GET stream use it.
 */
public final class UpstreamRelay {
  private UpstreamRelay() {}

  /** A sink for one call's related messages: relays them to the request's own stream. */
  public static RelatedSink forCall(FrontSession session, String server, UpstreamSession upstream, RelatedSink toClient) {
    return msg -> deliver(session, server, upstream, msg, toClient);
  }

  /**
   * Relays one upstream message to a client sink, or answers the upstream itself when the client
   * cannot take it.
   *
   * @param toClient the stream to use, or null when the client has none open
   */
  public static void deliver(FrontSession session, String server, UpstreamSession upstream, ObjectNode msg, RelatedSink toClient) {
    String method = msg.path("method").asString("");
    JsonNode id = msg.get("id");
    if (id != null) {
      if ("ping".equals(method)) {
        upstream.respond(JsonRpc.result(id, JsonRpc.NODES.objectNode()));
        return;
      }
      String capability = switch (method) {
        case "sampling/createMessage" -> "sampling";
        case "elicitation/create" -> "elicitation";
        case "roots/list" -> "roots";
        default -> null;
      };
      if (capability == null || !session.clientSupports(capability)) {
        upstream.respond(JsonRpc.error(id, JsonRpc.METHOD_NOT_FOUND,
            "Client did not declare the capability needed for " + method));
        return;
      }
      if (toClient == null) {
        upstream.respond(JsonRpc.error(id, JsonRpc.INTERNAL_ERROR, "No client stream open to carry " + method));
        return;
      }
      String gatewayId = session.registerServerRequest(new FrontSession.ServerRequest(upstream, id, server));
      ObjectNode out = msg.deepCopy();
      out.put("id", gatewayId);
      toClient.onMessage(out);
      return;
    }
    if ("notifications/message".equals(method)
        && !LogLevels.passes(msg.path("params").path("level").asString(""), session.logLevel())) {
      return;
    }
    if (toClient != null) {
      toClient.onMessage(msg);
    }
  }
}
