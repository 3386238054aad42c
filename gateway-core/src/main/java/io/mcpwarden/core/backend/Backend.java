package io.mcpwarden.core.backend;

import io.mcpwarden.core.backend.credential.UpstreamContext;
import io.mcpwarden.core.config.ServerConfig;
import tools.jackson.databind.node.ObjectNode;

/**
 * One configured upstream MCP server, reached over stdio or Streamable HTTP.
 *
 * <p>Sealed so the set of transports is closed and every place that must treat them differently is
 * found by the compiler. A backend hands out one {@link UpstreamSession} per front session, so
 * nothing one user does is visible in another user's upstream session.
 */
public sealed interface Backend extends AutoCloseable permits StdioBackend, StreamableHttpBackend {

  String name();

  ServerConfig config();

  /** Starts eager resources (a shared stdio child); cheap for backends that connect lazily. */
  void start();

  /**
   * Opens and initializes an upstream session for one front session.
   *
   * @param listener receives server-to-client messages not tied to a call
   * @param clientCapabilities the front client's declared capabilities, mirrored upstream where
   *     the transport gives each front session its own upstream session
   * @throws BackendException when the upstream cannot be reached or refuses initialize
   */
  UpstreamSession open(UpstreamListener listener, ObjectNode clientCapabilities);

  /**
   * Opens an upstream session on behalf of a user.
   *
   * @param context the front session's owner and current token; an HTTP backend configured for
   *     token exchange needs the token to obtain its own upstream credential. Stdio backends
   *     ignore it: they get credentials through their environment only.
   */
  default UpstreamSession open(UpstreamListener listener, ObjectNode clientCapabilities, UpstreamContext context) {
    return open(listener, clientCapabilities);
  }

  /** Stops the backend and every session it opened. */
  @Override
  void close();
}
