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

  /**
   * A limit refused the request: a {@code -32003} error whose data names the limit.
   *
   * <p>Separate from {@link Deny} because a limit refusal is temporary and says when to retry, which
   * HTTP carries as {@code 429} with {@code Retry-After}.
   *
   * @param limit the limit's configuration name, e.g. {@code per-user}, {@code max-result-bytes}
   * @param retryAfterSeconds when waiting helps, how long (at least 1); 0 when it does not (an
   *     oversize result stays oversize), and then no 429 is sent
   */
  record Limited(String limit, String reason, long retryAfterSeconds) implements Outcome {
    @Override
    public ObjectNode response(JsonNode id) {
      ObjectNode data = JsonRpc.NODES.objectNode();
      data.put("limit", limit);
      if (retryAfterSeconds > 0) {
        data.put("retryAfterSeconds", retryAfterSeconds);
      }
      return JsonRpc.error(id, JsonRpc.LIMIT_EXCEEDED, reason, data);
    }

    /** The HTTP status for the POST that carried the request: 429 when retrying later helps. */
    public int httpStatus() {
      return retryAfterSeconds > 0 ? 429 : 200;
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
