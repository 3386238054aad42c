package io.mcpwarden.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConcurrencyLimiterTest {
  @Test
  void capsRequestsInFlightPerKeyAndForgetsIdleKeys() {
    ConcurrencyLimiter limiter = new ConcurrencyLimiter(2);
    assertThat(limiter.tryAcquire("alice")).isTrue();
    assertThat(limiter.tryAcquire("alice")).isTrue();
    assertThat(limiter.tryAcquire("alice")).isFalse();
    assertThat(limiter.tryAcquire("bob")).isTrue();
    assertThat(limiter.inFlight("alice")).isEqualTo(2);

    limiter.release("alice");
    assertThat(limiter.tryAcquire("alice")).isTrue();
    limiter.release("alice");
    limiter.release("alice");
    limiter.release("bob");
    assertThat(limiter.trackedKeys()).isZero();
  }
}
