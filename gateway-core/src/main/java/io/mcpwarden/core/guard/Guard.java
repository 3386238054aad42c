package io.mcpwarden.core.guard;

/**
 * An interceptor on the request path: inspects or changes the exchange, then either proceeds or
 * answers itself, and may change the outcome on the way back.
 *
 * <p>One small interface lets rate limits, policy, tool integrity and content scanning plug in
 * without the router knowing about any of them.
 */
@FunctionalInterface
public interface Guard {

  /** The rest of the chain. */
  @FunctionalInterface
  interface Chain {
    Outcome proceed(Exchange exchange);
  }

  Outcome intercept(Exchange exchange, Chain next);

  /** The guard's name in audit records; the class name by default. */
  default String name() {
    return getClass().getSimpleName();
  }
}
