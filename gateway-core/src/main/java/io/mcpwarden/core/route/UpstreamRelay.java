package io.mcpwarden.core.route;

import io.mcpwarden.core.backend.RelatedSink;
import io.mcpwarden.core.backend.UpstreamSession;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.session.FrontSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamRelay.class);

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
    deliver(session, server, upstream, msg, toClient, ServerRequestScreen.NONE);
  }

  /**
   * Like {@link #deliver(FrontSession, String, UpstreamSession, ObjectNode, RelatedSink)}, with a
   * request the client could take screened first: messages that belong to no call (the content
   * guard screens those of a call in the guard chain). A refused request, or one the screen failed
   * on (fail closed), is answered with an error and never reaches the client.
   */
  public static void deliver(FrontSession session, String server, UpstreamSession upstream, ObjectNode msg, RelatedSink toClient,
      ServerRequestScreen screen) {
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
      ServerRequestScreen.Refusal refusal;
      try {
        refusal = screen.screen(session, server, msg);
      } catch (RuntimeException e) {
        LOG.error("server {}: screening {} failed; refused", server, method, e);
        refusal = new ServerRequestScreen.Refusal(JsonRpc.INTERNAL_ERROR, "Gateway could not screen " + method + "; refused");
      }
      if (refusal != null) {
        upstream.respond(JsonRpc.error(id, refusal.code(), refusal.message()));
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
