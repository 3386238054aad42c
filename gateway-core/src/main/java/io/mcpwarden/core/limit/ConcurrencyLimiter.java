package io.mcpwarden.core.limit;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts requests in flight per key (a user, a server) against a cap.
 *
 * <p>A key is held only while it has requests in flight, so memory is bounded by the number of
 * requests in flight, which the session and pending limits already bound.
 */
public final class ConcurrencyLimiter {
  private final int max;
  private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

  public ConcurrencyLimiter(int max) {
    this.max = max;
  }

  public int max() {
    return max;
  }

  /** Counts one more request for {@code key}, unless it already has {@code max} in flight. */
  public boolean tryAcquire(String key) {
    boolean[] acquired = {false};
    inFlight.compute(key, (k, n) -> {
      int current = n == null ? 0 : n;
      if (current >= max) {
        return n;
      }
      acquired[0] = true;
      return current + 1;
    });
    return acquired[0];
  }

  /** Counts one request of {@code key} as finished; pairs with a successful {@link #tryAcquire}. */
  public void release(String key) {
    inFlight.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }

  /** Requests in flight for {@code key}. */
  public int inFlight(String key) {
    return inFlight.getOrDefault(key, 0);
  }

  /** Keys with requests in flight. */
  public int trackedKeys() {
    return inFlight.size();
  }
}
