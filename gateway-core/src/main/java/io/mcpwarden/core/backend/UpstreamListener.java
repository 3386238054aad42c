package io.mcpwarden.core.backend;

import tools.jackson.databind.node.ObjectNode;

/**
 * Receives what an upstream session sends outside of any call: list_changed, resource updates,
 * and session loss.
 *
 * <p>The front delivers these on the session's standalone GET stream.
 */
public interface UpstreamListener {
  /** A server-to-client request or notification not tied to a call. */
  void onMessage(ObjectNode message);

  /** The upstream session ended (crash, upstream 404 that could not be recovered, close). */
  void onClosed(String reason);
}
