package io.mcpwarden.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.config.SessionConfig;
import io.mcpwarden.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionStoreTest {
  private static final Duration IDLE = Duration.ofMinutes(30);
  private static final Duration LIFETIME = Duration.ofHours(2);

  private final ManualClock clock = new ManualClock(Instant.parse("2025-11-25T10:00:00Z"));
  private final SessionStore store = new SessionStore(new SessionConfig(IDLE, LIFETIME), 3, clock);

  private FrontSession open(String subject) {
    FrontSession s = new FrontSession(SessionStore.newId(), subject, "2025-11-25", null, store.now());
    store.put(s);
    return s;
  }

  @Test
  void idsAre43VisibleAsciiBase64UrlCharacters() {
    for (int i = 0; i < 100; i++) {
      String id = SessionStore.newId();
      assertThat(id).hasSize(43).matches("^[A-Za-z0-9_-]{43}$");
      assertThat(id.chars()).allMatch(c -> c >= 0x21 && c <= 0x7E);
    }
  }

  @Test
  void tenThousandIdsAreUnique() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(SessionStore.newId());
    }
    assertThat(ids).hasSize(10_000);
  }

  @Test
  void findsTheSessionOfItsOwner() {
    FrontSession s = open("alice");
    assertThat(store.find("alice", s.id())).isSameAs(s);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void anotherSubjectWithAStolenIdFindsNothing() {
    FrontSession s = open("alice");
    assertThat(store.find("mallory", s.id())).isNull();
    // The failed lookup must not end the owner's session.
    assertThat(store.find("alice", s.id())).isSameAs(s);
    assertThat(s.closed()).isFalse();
  }

  @Test
  void unknownAndNullIdsFindNothing() {
    open("alice");
    assertThat(store.find("alice", SessionStore.newId())).isNull();
    assertThat(store.find("alice", null)).isNull();
  }

  @Test
  void aSubjectThatPrefixesAnotherCannotReachItsSessionsByShiftingTheColon() {
    // Attack: subjects may contain ':' (URNs); "urn:user" + ":" + "alice:<id>" must not be read
    // as "urn:user:alice" + ":" + "<id>".
    FrontSession victim = open("urn:user:alice");
    assertThat(store.find("urn:user", "alice:" + victim.id())).isNull();
    assertThat(store.find("urn:user:alice", victim.id())).isSameAs(victim);
  }

  @Test
  void sessionSurvivesUpToTheIdleTimeoutAndEndsJustAfter() {
    FrontSession s = open("alice");
    clock.advance(IDLE);
    assertThat(store.find("alice", s.id())).isSameAs(s);
    clock.advance(IDLE);
    assertThat(store.find("alice", s.id())).isSameAs(s);
    clock.advance(IDLE.plusSeconds(1));
    assertThat(store.find("alice", s.id())).isNull();
    assertThat(s.closed()).isTrue();
    assertThat(store.size()).isZero();
  }

  @Test
  void useResetsTheIdleTimer() {
    FrontSession s = open("alice");
    for (int i = 0; i < 3; i++) {
      clock.advance(IDLE.minusMinutes(1));
      assertThat(store.find("alice", s.id())).isSameAs(s);
    }
    assertThat(s.lastAccess()).isEqualTo(clock.instant());
  }

  @Test
  void absoluteLifetimeEndsAnActiveSession() {
    FrontSession s = open("alice");
    Duration step = Duration.ofMinutes(20);
    Duration elapsed = Duration.ZERO;
    while (elapsed.plus(step).compareTo(LIFETIME) <= 0) {
      clock.advance(step);
      elapsed = elapsed.plus(step);
      assertThat(store.find("alice", s.id())).as("at %s", elapsed).isSameAs(s);
    }
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.find("alice", s.id())).isNull();
    assertThat(s.closed()).isTrue();
  }

  @Test
  void aClosedSessionIsNotFound() {
    FrontSession s = open("alice");
    s.close();
    assertThat(store.find("alice", s.id())).isNull();
    assertThat(store.size()).isZero();
  }

  @Test
  void sweepEndsOnlyExpiredSessions() {
    FrontSession old = open("alice");
    clock.advance(IDLE.minusMinutes(5));
    FrontSession fresh = open("bob");
    clock.advance(Duration.ofMinutes(10));
    assertThat(store.sweep()).isEqualTo(1);
    assertThat(old.closed()).isTrue();
    assertThat(fresh.closed()).isFalse();
    assertThat(store.all()).containsExactly(fresh);
    assertThat(store.sweep()).isZero();
  }

  @Test
  void removeClosesAndForgets() {
    FrontSession s = open("alice");
    store.remove(s);
    assertThat(s.closed()).isTrue();
    assertThat(store.find("alice", s.id())).isNull();
  }

  @Test
  void capacityIsReported() {
    open("a");
    open("b");
    assertThat(store.hasCapacity()).isTrue();
    open("c");
    assertThat(store.hasCapacity()).isFalse();
    store.closeAll();
    assertThat(store.size()).isZero();
    assertThat(store.hasCapacity()).isTrue();
  }

  @Test
  void closingASessionEndsItsStreams() {
    FrontSession s = open("alice");
    EventStream stream = s.newStream(true, 10);
    store.remove(s);
    assertThat(stream.ended()).isTrue();
  }
}
