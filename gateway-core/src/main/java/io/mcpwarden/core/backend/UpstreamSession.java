package io.mcpwarden.core.backend;

import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's MCP client session with one upstream server, on behalf of one front session.
 *
 * <p>Implementations own id rewriting: the request given to {@link #call} keeps the front client's
 * id, the upstream sees an id of the implementation's choosing, and the response comes back with
 * the original id and JSON type restored.
 */
public interface UpstreamSession extends AutoCloseable {

  /** The upstream's InitializeResult (capabilities, serverInfo, instructions). */
  ObjectNode initializeResult();

  /** The protocol version negotiated with this upstream. */
  String protocolVersion();

  /**
   * Sends a request upstream.
   *
   * @param request a JSON-RPC request object; not modified
   * @param related receives server-to-client requests and notifications that belong to this call
   *     (progress, logging, sampling, elicitation, roots)
   */
  UpstreamCall call(ObjectNode request, RelatedSink related);

  /** Sends a notification upstream (for example roots/list_changed). */
  void notify(ObjectNode notification);

  /**
   * Answers a server-to-client request; the response carries the id the upstream used.
   */
  void respond(ObjectNode response);

  boolean isOpen();

  /** Ends the upstream session (HTTP DELETE, or detach from a shared stdio child). */
  @Override
  void close();
}
