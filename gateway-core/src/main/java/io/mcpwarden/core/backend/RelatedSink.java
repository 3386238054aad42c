package io.mcpwarden.core.backend;

import tools.jackson.databind.node.ObjectNode;

/**
 * Receives server-to-client messages that belong to one call in flight.
 *
 * <p>The front delivers them on the SSE stream of the originating request, as the transport
 * specification asks.
 */
@FunctionalInterface
public interface RelatedSink {
  /** A request (sampling, elicitation, roots) or notification (progress, logging) from upstream. */
  void onMessage(ObjectNode message);

  /** A sink that drops everything. */
  RelatedSink NONE = message -> {};
}
