package io.mcpwarden.core.guard;

import io.mcpwarden.core.message.JsonRpc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What became of a request on its way through the guard chain.
 *
 * <p>A closed set, so the edge and the audit log handle every case and a new kind of outcome is a
 * compile error until they do.
 */
public sealed interface Outcome {

  /** The JSON-RPC response to send to the client. */
  ObjectNode response(JsonNode id);

  /** The upstream answered; its response (result or JSON-RPC error) is passed on. */
  record Forward(ObjectNode upstreamResponse) implements Outcome {
    @Override
    public ObjectNode response(JsonNode id) {
      return upstreamResponse;
    }
  }

  /** The gateway answered itself (aggregated lists, local methods, errors it made). */
  record Respond(ObjectNode gatewayResponse) implements Outcome {
    @Override
    public ObjectNode response(JsonNode id) {
      return gatewayResponse;
    }
  }

  /** A guard refused the request. */
  record Deny(int code, String reason) implements Outcome {
    @Override
    public ObjectNode response(JsonNode id) {
      return JsonRpc.error(id, code, reason);
    }
  }

  /** The client cancelled the request: nothing is sent back. */
  record Cancelled(String reason) implements Outcome {
    @Override
    public ObjectNode response(JsonNode id) {
      return null;
    }
  }
}
