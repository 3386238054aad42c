package io.mcpwarden.core.session;

import io.mcpwarden.core.config.SessionConfig;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Live front sessions, keyed by (subject, session id).
 *
 * <p>Keying by owner means a session id is only found together with the principal that created
 * it: a stolen id used under another identity looks exactly like an unknown one. Time comes from
 * an injected {@link Clock} so expiry is tested without sleeping.
 */
public final class SessionStore {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ID_ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final Map<Key, FrontSession> sessions = new ConcurrentHashMap<>();
  /** Owner of each live id, to tell a stolen id from an unknown one (never used to find a session). */
  private final Map<String, String> owners = new ConcurrentHashMap<>();
  private final SessionConfig config;
  private final int maxSessions;
  private final Clock clock;

  public SessionStore(SessionConfig config, int maxSessions, Clock clock) {
    this.config = config;
    this.maxSessions = maxSessions;
    this.clock = clock;
  }

  /** A fresh session id: 256 bits from a CSPRNG, base64url (visible ASCII only). */
  public static String newId() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return ID_ENCODER.encodeToString(b);
  }

  public Instant now() {
    return clock.instant();
  }

  /** Whether another session may be created. */
  public boolean hasCapacity() {
    return sessions.size() < maxSessions;
  }

  public void put(FrontSession session) {
    sessions.put(key(session.subject(), session.id()), session);
    owners.put(session.id(), session.subject());
  }

  /** Whether this subject may open another session under {@link SessionConfig#maxPerUser()}. */
  public boolean hasCapacityFor(String subject) {
    return countFor(subject) < config.maxPerUser();
  }

  /** Live sessions of a subject. */
  public int countFor(String subject) {
    int n = 0;
    for (FrontSession s : sessions.values()) {
      if (s.subject().equals(subject) && !s.closed()) {
        n++;
      }
    }
    return n;
  }

  /**
   * Whether a session with this id exists but belongs to another subject: a lookup that failed
   * for that reason is a hijack attempt worth auditing. The answer never grants access.
   */
  public boolean ownedByAnother(String subject, String id) {
    String owner = id == null ? null : owners.get(id);
    return owner != null && !owner.equals(subject);
  }

  /** Ends every session of the subjects matching {@code owner}; returns how many ended. */
  public int revokeSubject(Predicate<String> owner) {
    int n = 0;
    for (FrontSession s : List.copyOf(sessions.values())) {
      if (owner.test(s.subject())) {
        remove(s);
        n++;
      }
    }
    return n;
  }

  /** Ends every session of one subject; returns how many ended. */
  public int revokeSubject(String subject) {
    return revokeSubject(subject::equals);
  }

  /** Ends the session with this id, whoever owns it; returns whether there was one. */
  public boolean revokeSession(String id) {
    String owner = id == null ? null : owners.get(id);
    FrontSession s = owner == null ? null : sessions.get(key(owner, id));
    if (s == null) {
      return false;
    }
    remove(s);
    return true;
  }

  /** The live session of this subject with this id, or null when unknown, ended or expired. */
  public FrontSession find(String subject, String id) {
    if (id == null) {
      return null;
    }
    FrontSession s = sessions.get(key(subject, id));
    if (s == null) {
      return null;
    }
    Instant now = clock.instant();
    if (expired(s, now)) {
      remove(s);
      return null;
    }
    s.touch(now);
    return s;
  }

  private boolean expired(FrontSession s, Instant now) {
    return s.closed()
        || now.isAfter(s.lastAccess().plus(config.idleTimeout()))
        || now.isAfter(s.createdAt().plus(config.maxLifetime()));
  }

  /** Ends and forgets a session. */
  public void remove(FrontSession s) {
    if (sessions.remove(key(s.subject(), s.id()), s)) {
      owners.remove(s.id(), s.subject());
      s.close();
    }
  }

  /** Ends expired sessions; returns how many. */
  public int sweep() {
    Instant now = clock.instant();
    int n = 0;
    for (FrontSession s : List.copyOf(sessions.values())) {
      if (expired(s, now)) {
        remove(s);
        n++;
      }
    }
    return n;
  }

  public int size() {
    return sessions.size();
  }

  public List<FrontSession> all() {
    return List.copyOf(sessions.values());
  }

  /** Ends all sessions (shutdown). */
  public void closeAll() {
    for (FrontSession s : List.copyOf(sessions.values())) {
      remove(s);
    }
  }

  private static Key key(String subject, String id) {
    return new Key(subject, id);
  }

  /**
   * A structured key, not {@code subject + ":" + id}: subjects may contain ':' (URNs) and the id
   * comes from a client header, so a concatenation would let subject "a" with id "b:X" reach the
   * session X of subject "a:b".
   */
  private record Key(String subject, String id) {}
}
