package io.mcpwarden.core.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Remembers the {@code jti} of tokens used for high-risk operations until they expire, so each
 * such token is good for one operation only.
 *
 * <p>Bounded and fail-closed: when it is full of unexpired ids it refuses new ones rather than
 * forgetting old ones, because forgetting would let a replay through. Entries leave when their
 * token expires (plus the clock skew, the longest the token could still be accepted).
 */
public final class ReplayCache {
  private record Entry(String key, Instant expiry) {}

  private final int capacity;
  private final Duration skew;
  private final Clock clock;
  private final Map<String, Instant> seen = new HashMap<>();
  private final PriorityQueue<Entry> byExpiry = new PriorityQueue<>((a, b) -> a.expiry().compareTo(b.expiry()));

  public ReplayCache(int capacity, Duration skew, Clock clock) {
    this.capacity = capacity;
    this.skew = skew;
    this.clock = clock;
  }

  /** What {@link #use} decided. */
  public enum Verdict {
    /** First use: allowed, and now remembered. */
    FIRST_USE,
    /** The token was used before. */
    REPLAY,
    /** The token has no {@code jti} or no expiry, so its use cannot be tracked. */
    UNTRACKABLE,
    /** Too many live ids are remembered to take another one safely. */
    FULL
  }

  /** Records a use of the principal's token; only {@link Verdict#FIRST_USE} allows the operation. */
  public synchronized Verdict use(Principal p) {
    if (p.tokenId() == null || p.tokenId().isEmpty() || p.expiresAt() == null) {
      return Verdict.UNTRACKABLE;
    }
    Instant now = clock.instant();
    evictExpired(now);
    // Ids are unique per issuer only (RFC 7519 §4.1.7).
    String key = p.issuer() + " " + p.tokenId();
    if (seen.containsKey(key)) {
      return Verdict.REPLAY;
    }
    if (seen.size() >= capacity) {
      return Verdict.FULL;
    }
    Instant expiry = p.expiresAt().plus(skew);
    seen.put(key, expiry);
    byExpiry.add(new Entry(key, expiry));
    return Verdict.FIRST_USE;
  }

  public synchronized int size() {
    evictExpired(clock.instant());
    return seen.size();
  }

  private void evictExpired(Instant now) {
    while (!byExpiry.isEmpty() && !byExpiry.peek().expiry().isAfter(now)) {
      seen.remove(byExpiry.poll().key());
    }
  }
}
