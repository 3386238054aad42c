package io.mcpwarden.core.auth;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of one trusted issuer: fetched once, reused for a while, fetched again when a
 * token names a key id not seen yet, but never more often than once per cooldown.
 *
 * <p>The cooldown is what keeps a flood of tokens with made-up key ids from turning the gateway
 * into a denial-of-service amplifier against the authorization server. Fetches are single-flight:
 * concurrent requests wait for one fetch instead of starting their own. Time comes from an
 * injected clock.
 */
public final class IssuerKeys {
  private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);

  /** Where a key set comes from. */
  @FunctionalInterface
  public interface Source {
    JWKSet fetch() throws IOException;
  }

  private final String issuer;
  private final Source source;
  private final Duration ttl;
  private final Duration cooldown;
  private final Clock clock;
  private final AtomicLong fetches = new AtomicLong();
  private final Object lock = new Object();
  private volatile JWKSet current;
  private volatile Instant fetchedAt = Instant.MIN;
  private Instant lastAttempt = Instant.MIN;

  public IssuerKeys(String issuer, Source source, Duration ttl, Duration cooldown, Clock clock) {
    this.issuer = issuer;
    this.source = source;
    this.ttl = ttl;
    this.cooldown = cooldown;
    this.clock = clock;
  }

  /** Keys fetched from a JWKS URI, found through discovery when {@code jwksUri} is null. */
  public static IssuerKeys remote(String issuer, URI jwksUri, URI discovery, DocumentFetcher fetcher,
      Duration ttl, Duration cooldown, Clock clock) {
    Source s = new Source() {
      private volatile URI resolved = jwksUri;

      @Override
      public JWKSet fetch() throws IOException {
        URI uri = resolved;
        if (uri == null) {
          uri = IssuerDiscovery.jwksUri(issuer, discovery, fetcher);
          resolved = uri;
        }
        try {
          return JWKSet.parse(fetcher.get(uri)).toPublicJWKSet();
        } catch (ParseException e) {
          throw new IOException("key set of " + issuer + " at " + uri + " is not a valid JWK set: " + e.getMessage());
        }
      }
    };
    return new IssuerKeys(issuer, s, ttl, cooldown, clock);
  }

  /** A fixed key set (the development issuer's). */
  public static IssuerKeys fixed(String issuer, JWKSet keys, Clock clock) {
    JWKSet pub = keys.toPublicJWKSet();
    return new IssuerKeys(issuer, () -> pub, Duration.ofDays(36500), Duration.ofDays(36500), clock);
  }

  public String issuer() {
    return issuer;
  }

  /** How many times the key set was fetched (for tests and metrics). */
  public long fetchCount() {
    return fetches.get();
  }

  /** A key that verified a token, and the key set it was taken from. */
  record Verified(JWK key, JWKSet keySet) {}

  /**
   * The issuer's key that verifies a token with this header, or null. Candidates have the
   * token's key id (when it has one), the matching key type and curve, and are meant for
   * signatures. When none is known the set is fetched again (keys rotate), within the cooldown.
   *
   * @throws AuthException TEMPORARILY_UNAVAILABLE when no key set could be fetched at all
   */
  Verified verifying(JWSHeader header, Predicate<JWK> verifies) throws AuthException {
    JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(header));
    JWKSet set = published();
    List<JWK> keys = selector.select(set);
    if (keys.isEmpty()) {
      // Perhaps the issuer rotated keys; ask again, unless we asked very recently.
      JWKSet fresh = refresh(set);
      if (fresh != set) {
        set = fresh;
        keys = selector.select(fresh);
      }
    }
    for (JWK k : keys) {
      if (verifies.test(k)) {
        return new Verified(k, set);
      }
    }
    return null;
  }

  /**
   * The issuer's keys as last fetched; fetched again first when older than the TTL. The same
   * object is returned until a fetch replaces it, so callers can tell cheaply whether it changed.
   *
   * @throws AuthException TEMPORARILY_UNAVAILABLE when no key set could be fetched at all
   */
  JWKSet published() throws AuthException {
    JWKSet set = current;
    if (set == null || clock.instant().isAfter(fetchedAt.plus(ttl))) {
      set = refresh(set);
    }
    return set;
  }

  /**
   * Fetches a new key set unless one was fetched or tried within the cooldown (or another thread
   * already replaced {@code seen}); returns the set to use.
   */
  private JWKSet refresh(JWKSet seen) throws AuthException {
    synchronized (lock) {
      JWKSet now = current;
      if (now != seen && now != null) {
        return now; // someone else refreshed while we waited
      }
      Instant t = clock.instant();
      if (now != null && t.isBefore(lastAttempt.plus(cooldown))) {
        return now;
      }
      if (now == null && t.isBefore(lastAttempt.plus(cooldown))) {
        throw new AuthException(AuthException.Error.TEMPORARILY_UNAVAILABLE,
            "signing keys of the issuer are not available; retry later");
      }
      lastAttempt = t;
      fetches.incrementAndGet();
      try {
        JWKSet fetched = source.fetch();
        current = fetched;
        fetchedAt = t;
        LOG.debug("fetched {} keys of issuer {}", fetched.size(), issuer);
        return fetched;
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot fetch signing keys of issuer {}: {}", issuer, e.getMessage());
        if (now != null) {
          return now; // keep using the keys we have
        }
        throw new AuthException(AuthException.Error.TEMPORARILY_UNAVAILABLE,
            "signing keys of the issuer are not available; retry later");
      }
    }
  }
}
