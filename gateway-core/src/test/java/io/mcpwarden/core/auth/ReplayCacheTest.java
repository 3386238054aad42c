package io.mcpwarden.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayCacheTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2025-11-25T10:00:00Z"));
  private final ReplayCache cache = new ReplayCache(2, Duration.ofSeconds(30), clock);

  private Principal token(String jti, Duration ttl) {
    return new Principal("alice", "https://as.example", Set.of(), Map.of(), clock.instant().plus(ttl), jti);
  }

  @Test
  void aTokenIdIsGoodOnceUntilTheTokenExpires() {
    Principal t = token("j1", Duration.ofMinutes(1));
    assertThat(cache.use(t)).isEqualTo(ReplayCache.Verdict.FIRST_USE);
    assertThat(cache.use(t)).isEqualTo(ReplayCache.Verdict.REPLAY);
    clock.advance(Duration.ofSeconds(89));
    assertThat(cache.use(t)).isEqualTo(ReplayCache.Verdict.REPLAY);
    clock.advance(Duration.ofSeconds(2));
    // Past exp + skew the token itself is refused by validation; the cache forgets it.
    assertThat(cache.size()).isZero();
  }

  @Test
  void sameIdFromAnotherIssuerIsAnotherToken() {
    assertThat(cache.use(token("j1", Duration.ofMinutes(1)))).isEqualTo(ReplayCache.Verdict.FIRST_USE);
    Principal other = new Principal("alice", "https://other.example", Set.of(), Map.of(), clock.instant().plusSeconds(60), "j1");
    assertThat(cache.use(other)).isEqualTo(ReplayCache.Verdict.FIRST_USE);
  }

  @Test
  void fullCacheRefusesInsteadOfForgetting() {
    assertThat(cache.use(token("a", Duration.ofMinutes(1)))).isEqualTo(ReplayCache.Verdict.FIRST_USE);
    assertThat(cache.use(token("b", Duration.ofMinutes(2)))).isEqualTo(ReplayCache.Verdict.FIRST_USE);
    assertThat(cache.use(token("c", Duration.ofMinutes(1)))).isEqualTo(ReplayCache.Verdict.FULL);
    assertThat(cache.use(token("a", Duration.ofMinutes(1)))).isEqualTo(ReplayCache.Verdict.REPLAY);
    clock.advance(Duration.ofMinutes(2));
    assertThat(cache.use(token("c", Duration.ofMinutes(1)))).isEqualTo(ReplayCache.Verdict.FIRST_USE);
  }

  @Test
  void tokensWithoutJtiCannotBeTracked() {
    assertThat(cache.use(token(null, Duration.ofMinutes(1)))).isEqualTo(ReplayCache.Verdict.UNTRACKABLE);
    assertThat(cache.use(new Principal("a", "i", Set.of(), Map.of(), null, "j"))).isEqualTo(ReplayCache.Verdict.UNTRACKABLE);
  }
}
