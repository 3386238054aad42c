package io.mcpwarden.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.config.CallLimitsConfig.Rate;
import io.mcpwarden.core.config.CallLimitsConfig;
import io.mcpwarden.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

  private static CallLimitsConfig rates(Rate perUser, Rate perTool, Rate perServer, Map<String, Rate> tools, int maxKeys) {
    return new CallLimitsConfig(perUser, perTool, perServer, tools, maxKeys, 64, 256, 1 << 20);
  }

  @Test
  void aUserBucketEmptiesThenRefillsWithTheClock() {
    RateLimiter limiter = new RateLimiter(rates(new Rate(2, 1), null, null, Map.of(), 1000), clock);
    assertThat(limiter.tryTake("alice", null, null)).isNull();
    assertThat(limiter.tryTake("alice", null, null)).isNull();
    RateLimiter.Refusal r = limiter.tryTake("alice", null, null);
    assertThat(r).isEqualTo(new RateLimiter.Refusal("rate.per-user", "alice", 1));

    clock.advance(Duration.ofMillis(999));
    assertThat(limiter.tryTake("alice", null, null)).isNotNull();
    clock.advance(Duration.ofMillis(1));
    assertThat(limiter.tryTake("alice", null, null)).isNull();
    assertThat(limiter.tryTake("alice", null, null)).isNotNull();

    clock.advance(Duration.ofSeconds(60)); // refills up to capacity, not beyond
    assertThat(limiter.tryTake("alice", null, null)).isNull();
    assertThat(limiter.tryTake("alice", null, null)).isNull();
    assertThat(limiter.tryTake("alice", null, null)).isNotNull();
  }

  @Test
  void aFractionalRefillRateAsksForALongerWait() {
    RateLimiter limiter = new RateLimiter(rates(new Rate(1, 0.25), null, null, Map.of(), 1000), clock);
    assertThat(limiter.tryTake("alice", null, null)).isNull();
    assertThat(limiter.tryTake("alice", null, null).retryAfterSeconds()).isEqualTo(4);
    clock.advance(Duration.ofSeconds(3));
    assertThat(limiter.tryTake("alice", null, null).retryAfterSeconds()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.tryTake("alice", null, null)).isNull();
  }

  @Test
  void oneUserOverTheLimitLeavesOthersAlone() {
    RateLimiter limiter = new RateLimiter(rates(new Rate(1, 1), null, null, Map.of(), 1000), clock);
    assertThat(limiter.tryTake("alice", null, null)).isNull();
    assertThat(limiter.tryTake("alice", null, null)).isNotNull();
    assertThat(limiter.tryTake("bob", null, null)).isNull();
  }

  @Test
  void aToolBucketIsSharedAcrossUsersAndCanBeOverriddenPerTool() {
    RateLimiter limiter = new RateLimiter(
        rates(null, new Rate(2, 1), null, Map.of("demo_search", new Rate(1, 0.5)), 1000), clock);
    assertThat(limiter.tryTake("alice", "demo_echo", "demo")).isNull();
    assertThat(limiter.tryTake("bob", "demo_echo", "demo")).isNull();
    assertThat(limiter.tryTake("carol", "demo_echo", "demo")).isEqualTo(new RateLimiter.Refusal("rate.per-tool", "demo_echo", 1));
    assertThat(limiter.tryTake("alice", "demo_add", "demo")).isNull();

    assertThat(limiter.tryTake("alice", "demo_search", "demo")).isNull();
    assertThat(limiter.tryTake("bob", "demo_search", "demo")).isEqualTo(new RateLimiter.Refusal("rate.per-tool", "demo_search", 2));
  }

  @Test
  void aServerBucketCoversEveryToolOfTheServer() {
    RateLimiter limiter = new RateLimiter(rates(null, null, new Rate(2, 1), Map.of(), 1000), clock);
    assertThat(limiter.tryTake("alice", "a_one", "a")).isNull();
    assertThat(limiter.tryTake("bob", "a_two", "a")).isNull();
    assertThat(limiter.tryTake("carol", "a_three", "a")).isEqualTo(new RateLimiter.Refusal("rate.per-server", "a", 1));
    assertThat(limiter.tryTake("carol", "b_one", "b")).isNull();
  }

  @Test
  void aRefusalGivesBackTheTokensAlreadyTaken() {
    RateLimiter limiter = new RateLimiter(rates(new Rate(3, 1), null, new Rate(1, 1), Map.of(), 1000), clock);
    assertThat(limiter.tryTake("alice", "a_one", "a")).isNull(); // user 2 left, server 0 left
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryTake("alice", "a_one", "a").limit()).isEqualTo("rate.per-server");
    }
    // The five refusals cost the user nothing: two tokens remain for requests to no server.
    assertThat(limiter.tryTake("alice", null, null)).isNull();
    assertThat(limiter.tryTake("alice", null, null)).isNull();
    assertThat(limiter.tryTake("alice", null, null)).isNotNull();
  }

  @Test
  void aFloodOfUsersKeepsABoundedNumberOfBuckets() {
    RateLimiter limiter = new RateLimiter(rates(new Rate(5, 1), null, null, Map.of(), 100), clock);
    for (int i = 0; i < 10_000; i++) {
      limiter.tryTake("user-" + i, null, null);
    }
    assertThat(limiter.trackedKeys()).isLessThanOrEqualTo(100);
  }

  @Test
  void idleBucketsAreForgottenOnceTheyWouldBeFull() {
    RateLimiter limiter = new RateLimiter(rates(new Rate(5, 1), null, null, Map.of(), 1000), clock);
    for (int i = 0; i < 10; i++) {
      limiter.tryTake("user-" + i, null, null);
    }
    assertThat(limiter.trackedKeys()).isEqualTo(10);
    clock.advance(Duration.ofSeconds(7));
    assertThat(limiter.trackedKeys()).isZero();
  }

  @Test
  void noConfiguredRateMeansNoLimit() {
    RateLimiter limiter = new RateLimiter(CallLimitsConfig.DEFAULTS, clock);
    assertThat(limiter.enabled()).isFalse();
    for (int i = 0; i < 1000; i++) {
      assertThat(limiter.tryTake("alice", "t", "s")).isNull();
    }
  }
}
