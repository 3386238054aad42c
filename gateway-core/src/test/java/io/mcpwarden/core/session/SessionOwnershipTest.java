package io.mcpwarden.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.config.SessionConfig;
import io.mcpwarden.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Per-user limits, hijack detection and revocation of the session store. */
class SessionOwnershipTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2025-11-25T10:00:00Z"));
  private final SessionStore store =
      new SessionStore(new SessionConfig(Duration.ofMinutes(30), Duration.ofHours(2), 2, null), 100, clock);

  private FrontSession open(String subject) {
    FrontSession s = new FrontSession(SessionStore.newId(), subject, "2025-11-25", null, store.now());
    store.put(s);
    return s;
  }

  @Test
  void maxSessionsPerUserCountsOnlyLiveSessionsOfThatUser() {
    FrontSession a1 = open("alice");
    assertThat(store.hasCapacityFor("alice")).isTrue();
    open("alice");
    assertThat(store.hasCapacityFor("alice")).isFalse();
    assertThat(store.hasCapacityFor("bob")).isTrue();
    store.remove(a1);
    assertThat(store.hasCapacityFor("alice")).isTrue();
  }

  @Test
  void aStolenIdIsRecognisedWithoutBeingFound() {
    FrontSession s = open("alice");
    assertThat(store.find("mallory", s.id())).isNull();
    assertThat(store.ownedByAnother("mallory", s.id())).isTrue();
    assertThat(store.ownedByAnother("alice", s.id())).isFalse();
    assertThat(store.ownedByAnother("mallory", SessionStore.newId())).isFalse();
    store.remove(s);
    assertThat(store.ownedByAnother("mallory", s.id())).isFalse();
  }

  @Test
  void revokingAUserEndsAllTheirSessionsAndNoOneElses() {
    FrontSession a1 = open("alice");
    FrontSession a2 = open("alice");
    FrontSession b = open("bob");
    assertThat(store.revokeSubject("alice")).isEqualTo(2);
    assertThat(a1.closed()).isTrue();
    assertThat(a2.closed()).isTrue();
    assertThat(store.find("alice", a1.id())).isNull();
    assertThat(store.find("bob", b.id())).isSameAs(b);
    assertThat(store.revokeSubject("alice")).isZero();
  }

  @Test
  void revokingOneSessionEndsOnlyIt() {
    FrontSession a1 = open("alice");
    FrontSession a2 = open("alice");
    assertThat(store.revokeSession(a1.id())).isTrue();
    assertThat(a1.closed()).isTrue();
    assertThat(store.find("alice", a2.id())).isSameAs(a2);
    assertThat(store.revokeSession(a1.id())).isFalse();
    assertThat(store.revokeSession("nope")).isFalse();
  }

  @Test
  void expiredSessionsDoNotCountOnceSwept() {
    open("alice");
    open("alice");
    clock.advance(Duration.ofMinutes(31));
    store.sweep();
    assertThat(store.hasCapacityFor("alice")).isTrue();
  }
}
