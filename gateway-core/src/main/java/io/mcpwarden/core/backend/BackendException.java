package io.mcpwarden.core.backend;

import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.message.JsonRpcException;

/**
 * An upstream could not be reached, started or initialized.
 *
 * <p>A JSON-RPC exception so that, at the edge, it becomes an error response naming the server.
 */
public class BackendException extends JsonRpcException {
  private static final long serialVersionUID = 1L;

  public BackendException(String server, String message) {
    super(JsonRpc.UPSTREAM_UNAVAILABLE, "Upstream '" + server + "': " + message);
  }
}
