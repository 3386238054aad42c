package io.mcpwarden.core.backend;

import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.message.JsonRpcException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * One request in flight to an upstream: its eventual response and a way to cancel it.
 *
 * <p>Cancelling sends {@code notifications/cancelled} upstream with the upstream's own id and
 * suppresses any late response, as the MCP cancellation rules ask.
 */
public final class UpstreamCall {
  private final CompletableFuture<ObjectNode> response;
  private final Consumer<String> canceller;

  public UpstreamCall(CompletableFuture<ObjectNode> response, Consumer<String> canceller) {
    this.response = response;
    this.canceller = canceller;
  }

  /** A call that failed before reaching the upstream. */
  public static UpstreamCall failed(JsonRpcException error) {
    return new UpstreamCall(CompletableFuture.failedFuture(error), reason -> {});
  }

  /** Completes with the JSON-RPC response (result or error) carrying the original request id. */
  public CompletableFuture<ObjectNode> response() {
    return response;
  }

  public void cancel(String reason) {
    canceller.accept(reason);
  }

  /**
   * Waits for the response; on timeout cancels upstream and fails with a JSON-RPC error.
   *
   * @throws JsonRpcException on timeout, upstream failure or interruption
   */
  public ObjectNode await(Duration timeout) {
    try {
      return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      cancel("Gateway timeout after " + timeout.toMillis() + " ms");
      throw new JsonRpcException(
          JsonRpc.UPSTREAM_UNAVAILABLE,
          "Upstream did not answer within " + timeout.toMillis() + " ms; the request was cancelled");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof JsonRpcException j) {
        throw j;
      }
      throw new JsonRpcException(JsonRpc.INTERNAL_ERROR, "Upstream failure: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel("Gateway shutting down");
      throw new JsonRpcException(JsonRpc.INTERNAL_ERROR, "Interrupted while waiting for upstream");
    }
  }
}
