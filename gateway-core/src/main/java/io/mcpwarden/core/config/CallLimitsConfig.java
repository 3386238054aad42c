package io.mcpwarden.core.config;

import java.util.Map;

/**
 * Limits on tool calls and upstream results: token-bucket rates per user, tool and server,
 * concurrency caps per user and server, and the largest result relayed.
 *
 * <p>Separate from the transport limits in {@link LimitsConfig} because these are decided per
 * routed request by a guard, not per HTTP exchange by the edge.
 *
 * @param perUser bucket each user (token subject) draws from for every request through the guard
 *     chain; null when off
 * @param perTool bucket each exposed tool draws from for its calls, across users; null when off
 * @param perServer bucket each upstream server draws from for requests routed to it; null when off
 * @param tools per exposed tool name, a bucket replacing {@code perTool} for that tool
 * @param maxTrackedKeys buckets kept per kind (users, tools, servers); the least recently used
 *     beyond this are dropped, so a flood of identities costs bounded memory
 * @param maxConcurrentPerUser {@code tools/call} requests one user may have in flight
 * @param maxConcurrentPerServer {@code tools/call} requests in flight to one server
 * @param maxResultBytes largest serialized upstream response relayed to a client
 */
public record CallLimitsConfig(
    Rate perUser,
    Rate perTool,
    Rate perServer,
    Map<String, Rate> tools,
    int maxTrackedKeys,
    int maxConcurrentPerUser,
    int maxConcurrentPerServer,
    long maxResultBytes) {

  public static final int DEFAULT_MAX_TRACKED_KEYS = 100_000;
  public static final int DEFAULT_MAX_CONCURRENT_PER_USER = 64;
  public static final int DEFAULT_MAX_CONCURRENT_PER_SERVER = 256;
  public static final long DEFAULT_MAX_RESULT_BYTES = 8L * 1024 * 1024;

  /** The defaults: no rate limits, generous concurrency caps, 8 MiB results. */
  public static final CallLimitsConfig DEFAULTS = new CallLimitsConfig(null, null, null, Map.of(),
      DEFAULT_MAX_TRACKED_KEYS, DEFAULT_MAX_CONCURRENT_PER_USER, DEFAULT_MAX_CONCURRENT_PER_SERVER, DEFAULT_MAX_RESULT_BYTES);

  public CallLimitsConfig {
    tools = Map.copyOf(tools);
  }

  /**
   * A token bucket: holds at most {@code capacity} requests and regains {@code refillPerSecond}
   * of them each second (a fraction such as 0.5 means one every two seconds).
   */
  public record Rate(long capacity, double refillPerSecond) {
    public Rate {
      if (capacity < 1 || !(refillPerSecond > 0)) {
        throw new IllegalArgumentException("a rate needs capacity >= 1 and refill-per-second > 0");
      }
    }
  }
}
