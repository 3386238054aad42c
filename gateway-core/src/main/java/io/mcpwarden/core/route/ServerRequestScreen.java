package io.mcpwarden.core.route;

import io.mcpwarden.core.session.FrontSession;
import tools.jackson.databind.node.ObjectNode;

/**
 * Screens a request an upstream sends toward the client outside any call ({@code
 * sampling/createMessage}, {@code elicitation/create} on its standalone stream) before the client
 * sees it.
 *
 * <p>Why a separate hook: requests an upstream sends during a call travel back through the guard
 * chain (the content guard wraps the call's related sink), but those sent outside a call reach
 * the relay directly, with no request to hang a guard on. Without this hook a server could push
 * text at the model at any time, unscreened.
 */
@FunctionalInterface
public interface ServerRequestScreen {
  /** Lets every request through unscreened (a gateway without content guards). */
  ServerRequestScreen NONE = (session, server, request) -> null;

  /**
   * Screens one request.
   *
   * @param session the front session whose client the request is for
   * @param server the upstream that sent it
   * @param request the request as the upstream sent it (its own id); may be rewritten in place
   *     (redactions, a verdict in {@code params._meta})
   * @return null to forward it, else why it is refused: the upstream gets that JSON-RPC error and
   *     the client never sees the request
   */
  Refusal screen(FrontSession session, String server, ObjectNode request);

  /**
   * A refused request: the JSON-RPC error the upstream is answered with.
   *
   * @param code the JSON-RPC error code
   * @param message the error message (never the screened text)
   */
  record Refusal(int code, String message) {}
}
