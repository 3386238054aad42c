package io.mcpwarden.core.guard;

import io.mcpwarden.core.config.CallLimitsConfig;
import io.mcpwarden.core.limit.ConcurrencyLimiter;
import io.mcpwarden.core.limit.RateLimiter;
import java.time.Clock;
import java.util.function.Function;

/**
 * Refuses requests over a rate limit (per user, per tool, per server) or over a concurrency cap
 * (tools/call in flight per user and per server) with {@link Outcome.Limited}.
 *
 * <p>One guard for both because both are cheap counters checked before any policy or content
 * work; a refusal costs the gateway nothing upstream and leaves every other user's buckets alone.
 */
public final class LimitsGuard implements Guard {
  private static final String TOOLS_CALL = "tools/call";

  private final RateLimiter rates;
  private final ConcurrencyLimiter perUser;
  private final ConcurrencyLimiter perServer;
  private final Function<Exchange, String> serverOf;

  /**
   * @param serverOf the upstream server a request goes to, or null when it goes to none (lists,
   *     unknown names: those count only against the user's rate)
   */
  public LimitsGuard(CallLimitsConfig config, Clock clock, Function<Exchange, String> serverOf) {
    this.rates = new RateLimiter(config, clock);
    this.perUser = new ConcurrencyLimiter(config.maxConcurrentPerUser());
    this.perServer = new ConcurrencyLimiter(config.maxConcurrentPerServer());
    this.serverOf = serverOf;
  }

  @Override
  public Outcome intercept(Exchange exchange, Chain next) {
    boolean call = TOOLS_CALL.equals(exchange.request().method());
    String user = exchange.subject();
    String server = serverOf.apply(exchange);
    String tool = call && server != null ? exchange.request().param("name") : null;
    if (rates.enabled()) {
      RateLimiter.Refusal r = rates.tryTake(user, tool, server);
      if (r != null) {
        return new Outcome.Limited(r.limit(), "Rate limit " + r.limit() + " exceeded for " + describe(r.limit(), r.key())
            + "; retry in " + r.retryAfterSeconds() + " s", r.retryAfterSeconds());
      }
    }
    if (!call) {
      return next.proceed(exchange);
    }
    if (!perUser.tryAcquire(user)) {
      return new Outcome.Limited("max-concurrent-per-user", "Too many tool calls in flight for user " + user
          + " (limit " + perUser.max() + "); retry when one finishes", 1);
    }
    try {
      if (server != null && !perServer.tryAcquire(server)) {
        return new Outcome.Limited("max-concurrent-per-server", "Too many tool calls in flight to server " + server
            + " (limit " + perServer.max() + "); retry when one finishes", 1);
      }
      try {
        return next.proceed(exchange);
      } finally {
        if (server != null) {
          perServer.release(server);
        }
      }
    } finally {
      perUser.release(user);
    }
  }

  private static String describe(String limit, String key) {
    return switch (limit) {
      case "rate.per-user" -> "user " + key;
      case "rate.per-tool" -> "tool " + key;
      default -> "server " + key;
    };
  }
}
