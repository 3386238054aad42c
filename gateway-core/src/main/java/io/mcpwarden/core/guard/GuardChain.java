package io.mcpwarden.core.guard;

import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.message.JsonRpcException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs guards in a fixed order in front of a terminal step (the router).
 *
 * <p>Fail-closed: a guard that throws denies the request; the error is logged and never passed
 * through as success.
 */
public final class GuardChain {
  private static final Logger LOG = LoggerFactory.getLogger(GuardChain.class);

  private final List<Guard> guards;
  private final Guard.Chain terminal;

  /**
   * @param guards in the order they run; see {@code Gateway} for why each sits where it does
   * @param terminal the step after the last guard
   */
  public GuardChain(List<Guard> guards, Guard.Chain terminal) {
    this.guards = List.copyOf(guards);
    this.terminal = terminal;
  }

  public Outcome run(Exchange exchange) {
    return step(0, exchange);
  }

  private Outcome step(int index, Exchange exchange) {
    if (index == guards.size()) {
      return terminal.proceed(exchange);
    }
    Guard guard = guards.get(index);
    try {
      Outcome o = guard.intercept(exchange, next -> step(index + 1, next));
      if (o == null) {
        return new Outcome.Deny(JsonRpc.INTERNAL_ERROR, "Guard " + guard.name() + " gave no outcome");
      }
      return o;
    } catch (JsonRpcException e) {
      return new Outcome.Deny(e.code(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("guard {} failed; request denied", guard.name(), e);
      return new Outcome.Deny(JsonRpc.INTERNAL_ERROR, "Request denied: guard " + guard.name() + " failed");
    }
  }
}
