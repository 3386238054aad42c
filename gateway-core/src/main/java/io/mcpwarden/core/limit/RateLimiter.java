package io.mcpwarden.core.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.mcpwarden.core.config.CallLimitsConfig;
import io.mcpwarden.core.config.CallLimitsConfig.Rate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Token buckets per user, per exposed tool and per server (Bucket4j), kept in bounded caches.
 *
 * <p>Time comes from the injected clock, so tests refill buckets by moving the clock. A bucket idle
 * for as long as it takes to fill up is dropped (it would be full anyway), and each kind keeps at
 * most {@code maxTrackedKeys} buckets, so a flood of identities costs bounded memory; the price of
 * an eviction under such a flood is one fresh, full bucket for whoever was dropped.
 */
public final class RateLimiter {
  /** Why a request was refused: the limit's configuration name, whose bucket, and when to retry. */
  public record Refusal(String limit, String key, long retryAfterSeconds) {}

  private final Clock clock;
  private final TimeMeter time;
  private final Kind users;
  private final Kind tools;
  private final Kind servers;
  private final Map<String, Rate> toolRates;
  private final Rate perUser;
  private final Rate perTool;
  private final Rate perServer;

  public RateLimiter(CallLimitsConfig config, Clock clock) {
    this.clock = clock;
    this.time = new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return nanos();
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
    this.toolRates = config.tools();
    this.perUser = config.perUser();
    this.perTool = config.perTool();
    this.perServer = config.perServer();
    List<Rate> anyTool = new ArrayList<>(toolRates.values());
    if (config.perTool() != null) {
      anyTool.add(config.perTool());
    }
    this.users = kind("rate.per-user", config.perUser() == null ? List.of() : List.of(config.perUser()), config.maxTrackedKeys());
    this.tools = kind("rate.per-tool", anyTool, config.maxTrackedKeys());
    this.servers = kind("rate.per-server", config.perServer() == null ? List.of() : List.of(config.perServer()), config.maxTrackedKeys());
  }

  /** Whether any rate limit is configured at all. */
  public boolean enabled() {
    return users != null || tools != null || servers != null;
  }

  /**
   * Takes one token from each bucket that applies: the user's, the tool's (when {@code tool} is
   * not null) and the server's (when {@code server} is not null). All or nothing: when one bucket
   * is empty, tokens already taken from the others are given back.
   *
   * @return null when allowed, else the first limit that refused
   */
  public Refusal tryTake(String user, String tool, String server) {
    List<Bucket> taken = new ArrayList<>(3);
    Refusal r = take(users, user, perUser, taken);
    if (r == null && tool != null) {
      Rate rate = toolRates.getOrDefault(tool, perTool);
      r = take(tools, tool, rate, taken);
    }
    if (r == null && server != null) {
      r = take(servers, server, perServer, taken);
    }
    if (r != null) {
      taken.forEach(b -> b.addTokens(1));
    }
    return r;
  }

  private Refusal take(Kind kind, String key, Rate rate, List<Bucket> taken) {
    if (kind == null || key == null || rate == null) {
      return null;
    }
    Bucket bucket = kind.buckets.get(key, k -> bucket(rate));
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      taken.add(bucket);
      return null;
    }
    long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    return new Refusal(kind.name, key, seconds);
  }

  private Bucket bucket(Rate rate) {
    long nanosPerToken = Math.max(1, Math.round(1e9 / rate.refillPerSecond()));
    return Bucket.builder()
        .addLimit(l -> l.capacity(rate.capacity()).refillGreedy(1, Duration.ofNanos(nanosPerToken)))
        .withCustomTimePrecision(time)
        .build();
  }

  private Kind kind(String name, List<Rate> rates, int maxKeys) {
    if (rates.isEmpty()) {
      return null;
    }
    // Idle for the time a bucket takes to fill from empty, it is full: forgetting it changes nothing.
    double fillSeconds = rates.stream().mapToDouble(r -> r.capacity() / r.refillPerSecond()).max().orElse(1);
    Duration idle = Duration.ofMillis((long) Math.min(Long.MAX_VALUE / 2_000_000.0, Math.ceil(fillSeconds * 1000)) + 1000);
    Cache<String, Bucket> cache = Caffeine.newBuilder()
        .maximumSize(maxKeys)
        .expireAfterAccess(idle)
        .ticker(this::nanos)
        .executor(Runnable::run)
        .build();
    return new Kind(name, cache);
  }

  private long nanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Buckets tracked right now for users, tools and servers (for tests and metrics). */
  public long trackedKeys() {
    long n = 0;
    for (Kind k : new Kind[] {users, tools, servers}) {
      if (k != null) {
        k.buckets.cleanUp();
        n += k.buckets.estimatedSize();
      }
    }
    return n;
  }

  private record Kind(String name, Cache<String, Bucket> buckets) {}
}
