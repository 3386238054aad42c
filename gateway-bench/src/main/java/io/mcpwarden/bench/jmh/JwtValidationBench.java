package io.mcpwarden.bench.jmh;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mcpwarden.core.auth.AuthException;
import io.mcpwarden.core.auth.IssuerKeys;
import io.mcpwarden.core.auth.JwtAuthenticator;
import io.mcpwarden.core.auth.Principal;
import io.mcpwarden.core.config.AuthConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the edge pays per request to validate a client's JWT access token ({@link
 * JwtAuthenticator#authenticate}), with an EC P-256 (ES256) issuer key held in memory ({@link
 * IssuerKeys#fixed}, so no JWKS fetch is measured).
 *
 * <ul>
 *   <li>{@code cachedToken}: the same token on every request, as one client's requests are; after
 *       the first, a SHA-256 of the token and a cache lookup (issue 4 target: at most 50 µs p50).
 *   <li>{@code freshToken}: a different token every time (10,000 pre-generated, cycled), so each
 *       request parses the JWT, verifies its ECDSA signature and checks the claims. This
 *       authenticator's validated-token cache is kept tiny so a token is never found again when the
 *       cycle comes round; the gateway's own cache holds 10,000.
 * </ul>
 *
 * <p>SampleTime mode: JMH reports p50, p90, p99 and more per benchmark, in microseconds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class JwtValidationBench {
  static final String ISSUER = "https://idp.bench.example";
  static final String AUDIENCE = "https://gateway.bench.example/mcp";
  static final int FRESH_TOKENS = 10_000;

  private JwtAuthenticator cached;
  private JwtAuthenticator uncached;
  private String token;
  private String[] fresh;
  private int next;

  @Setup
  public void setup() throws JOSEException, AuthException {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("bench-1").keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
    Clock clock = Clock.systemUTC();
    List<IssuerKeys> trusted = List.of(IssuerKeys.fixed(ISSUER, new JWKSet(key), clock));
    cached = new JwtAuthenticator(trusted, settings(10_000), clock);
    uncached = new JwtAuthenticator(trusted, settings(1), clock);

    ECDSASigner signer = new ECDSASigner(key);
    Instant now = clock.instant();
    token = sign(signer, key, "alice", now);
    fresh = new String[FRESH_TOKENS];
    for (int i = 0; i < FRESH_TOKENS; i++) {
      fresh[i] = sign(signer, key, "user-" + (i % 100), now);
    }
    // Every token must pass, or the benchmark would measure the refusal path.
    cached.authenticate(token);
    for (String t : fresh) {
      uncached.authenticate(t);
    }
  }

  private static JwtAuthenticator.Settings settings(int cacheSize) {
    return new JwtAuthenticator.Settings(List.of(AUDIENCE), AuthConfig.ASYMMETRIC_ALGORITHMS, Duration.ofSeconds(60), true, cacheSize);
  }

  /** An RFC 9068 style access token as an authorization server would issue it, valid for an hour. */
  private static String sign(ECDSASigner signer, ECKey key, String subject, Instant now) throws JOSEException {
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(subject)
        .audience(AUDIENCE)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
        .jwtID(UUID.randomUUID().toString())
        .claim("client_id", "bench-client")
        .claim("scope", "mcp:tools demo:math")
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt")).keyID(key.getKeyID()).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  @Benchmark
  public Principal cachedToken() throws AuthException {
    return cached.authenticate(token);
  }

  @Benchmark
  public Principal freshToken() throws AuthException {
    String t = fresh[next];
    next = next + 1 == FRESH_TOKENS ? 0 : next + 1;
    return uncached.authenticate(t);
  }
}
