package io.mcpwarden.core.backend;

import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.message.JsonRpcException;

/**
 * Completes an upstream call that was cancelled, so its late response is suppressed.
 *
 * <p>A distinct type lets the front tell "cancelled, send nothing" from "failed, send an error".
 */
public class CallCancelledException extends JsonRpcException {
  private static final long serialVersionUID = 1L;

  public CallCancelledException(String reason) {
    super(JsonRpc.INTERNAL_ERROR, "Request cancelled: " + reason);
  }
}
