package io.mcpwarden.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.mcpwarden.core.testing.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JWT validation: each attack next to the legitimate token that passes. */
class JwtAuthenticatorTest {
  private static final String AUD = "https://gw.example/mcp";
  private static final Duration SKEW = Duration.ofSeconds(30);
  private static final Duration COOLDOWN = Duration.ofSeconds(30);

  private final ManualClock clock = new ManualClock(Instant.parse("2025-11-25T10:00:00Z"));
  private FakeIdp idp;
  private JwtAuthenticator auth;

  @BeforeEach
  void setUp() throws Exception {
    idp = new FakeIdp();
    auth = authenticator(false, null);
  }

  @AfterEach
  void tearDown() {
    idp.close();
  }

  private JwtAuthenticator authenticator(boolean requireTyp, URI discovery) {
    IssuerKeys keys = IssuerKeys.remote(idp.issuer, null, discovery, DocumentFetcher.http(), Duration.ofMinutes(10), COOLDOWN, clock);
    return new JwtAuthenticator(List.of(keys),
        new JwtAuthenticator.Settings(List.of(AUD), List.of("RS256", "ES256", "PS256"), SKEW, requireTyp, 100), clock);
  }

  private Instant now() {
    return clock.instant();
  }

  private static String reason(ThrowingCall call) {
    try {
      call.run();
    } catch (AuthException e) {
      assertThat(e.error()).isEqualTo(AuthException.Error.INVALID_TOKEN);
      return e.getMessage();
    }
    throw new AssertionError("token was accepted");
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run() throws AuthException;
  }

  @Test
  void validRs256AndEs256TokensGiveThePrincipalWithScopes() throws Exception {
    Principal p = auth.authenticate(idp.rs256(idp.claims(AUD, now()).build()));
    assertThat(p.subject()).isEqualTo("alice");
    assertThat(p.issuer()).isEqualTo(idp.issuer);
    assertThat(p.scopes()).containsExactlyInAnyOrder("mcp:tools", "mcp:read");
    assertThat(p.owner()).isEqualTo("alice [" + idp.issuer + "]");
    assertThat(p.tokenId()).isNotBlank();
    Principal q = auth.authenticate(idp.es256(idp.claims(AUD, now()).claim("scope", null).claim("scp", List.of("a", "b")).build()));
    assertThat(q.scopes()).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void keysAreFoundThroughDiscoveryAndFetchedOnce() throws Exception {
    for (int i = 0; i < 5; i++) {
      auth.authenticate(idp.rs256(idp.claims(AUD, now()).build()));
    }
    assertThat(idp.hits.get("/realms/test/.well-known/openid-configuration").get()).isEqualTo(1);
    assertThat(idp.jwksFetches()).isEqualTo(1);
  }

  @Test
  void metadataNamingAnotherIssuerIsNotUsed() {
    idp.discoveryIssuer = "https://evil.example";
    String token = idp.rs256(idp.claims(AUD, now()).build());
    assertThatThrownBy(() -> auth.authenticate(token))
        .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.error()).isEqualTo(AuthException.Error.TEMPORARILY_UNAVAILABLE));
    assertThat(idp.jwksFetches()).isZero();
  }

  @Test
  void tokenForAnotherAudienceIsRefused() throws Exception {
    assertThat(reason(() -> auth.authenticate(idp.rs256(idp.claims("https://other.example/mcp", now()).build()))))
        .contains("audience");
    // Twin: the same issuer and key, our audience.
    assertThat(auth.authenticate(idp.rs256(idp.claims(AUD, now()).build())).subject()).isEqualTo("alice");
  }

  @Test
  void audienceIsMatchedIgnoringCaseOfSchemeAndHostOnly() throws Exception {
    assertThat(auth.authenticate(idp.rs256(idp.claims("HTTPS://GW.EXAMPLE/mcp", now()).build())).subject()).isEqualTo("alice");
    assertThat(auth.authenticate(idp.rs256(idp.claims("https://gw.example:443/mcp", now()).build())).subject()).isEqualTo("alice");
    assertThat(reason(() -> auth.authenticate(idp.rs256(idp.claims("https://gw.example/MCP", now()).build())))).contains("audience");
    assertThat(reason(() -> auth.authenticate(idp.rs256(idp.claims("https://gw.example/mcp/", now()).build())))).contains("audience");
    // One of several audiences is enough.
    JWTClaimsSet multi = idp.claims(AUD, now()).audience(List.of("https://other.example", AUD)).build();
    assertThat(auth.authenticate(idp.rs256(multi)).subject()).isEqualTo("alice");
  }

  @Test
  void tokenFromAnUntrustedIssuerIsRefusedEvenWithAKnownKey() throws Exception {
    JWTClaimsSet foreign = idp.claims(AUD, now()).issuer("https://evil.example").build();
    assertThat(reason(() -> auth.authenticate(idp.rs256(foreign)))).contains("issuer");
    assertThat(auth.authenticate(idp.rs256(idp.claims(AUD, now()).build())).subject()).isEqualTo("alice");
  }

  @Test
  void expiredTokenIsRefusedAfterTheSkew() throws Exception {
    Instant issued = now().minus(Duration.ofMinutes(5));
    JWTClaimsSet claims = idp.claims(AUD, issued).build(); // exp = now
    String token = idp.rs256(claims);
    // Within the skew the token still passes ...
    assertThat(auth.authenticate(token).subject()).isEqualTo("alice");
    // ... and not one second after, even though it was cached as valid.
    clock.advance(SKEW);
    assertThat(reason(() -> auth.authenticate(token))).contains("expired");
    String fresh = idp.rs256(idp.claims(AUD, now()).build());
    assertThat(auth.authenticate(fresh).subject()).isEqualTo("alice");
  }

  @Test
  void tokensNotYetValidOrIssuedInTheFutureAreRefused() throws Exception {
    Instant later = now().plus(Duration.ofMinutes(2));
    assertThat(reason(() -> auth.authenticate(idp.rs256(idp.claims(AUD, later).issueTime(Date.from(now())).build())))).contains("not valid yet");
    assertThat(reason(() -> auth.authenticate(idp.rs256(idp.claims(AUD, now()).issueTime(Date.from(later)).build())))).contains("future");
    // Within the skew, a slightly fast issuer clock is fine.
    Instant slightlyLater = now().plusSeconds(10);
    assertThat(auth.authenticate(idp.rs256(idp.claims(AUD, slightlyLater).build())).subject()).isEqualTo("alice");
  }

  @Test
  void tokensWithoutExpiryOrSubjectAreRefused() {
    assertThat(reason(() -> auth.authenticate(idp.rs256(idp.claims(AUD, now()).expirationTime(null).build())))).contains("expiry");
    assertThat(reason(() -> auth.authenticate(idp.rs256(idp.claims(AUD, now()).subject(null).build())))).contains("subject");
  }

  @Test
  void algNoneIsRefused() {
    PlainJWT none = new PlainJWT(idp.claims(AUD, now()).build());
    assertThat(reason(() -> auth.authenticate(none.serialize()))).contains("signed");
    // A none header with a copied signature part is no better.
    String forged = none.serialize() + idp.rs256(idp.claims(AUD, now()).build()).split("\\.")[2];
    assertThat(reason(() -> auth.authenticate(forged))).isNotEmpty();
  }

  @Test
  void hmacSignedWithThePublicKeyIsRefused() throws Exception {
    // The classic key-confusion attack: HS256 with the issuer's public RSA key as the MAC secret.
    byte[] publicKey = idp.rsa.toRSAPublicKey().getEncoded();
    JWSObject hs = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
        new Payload(idp.claims(AUD, now()).build().toJSONObject()));
    hs.sign(new MACSigner(publicKey));
    assertThat(reason(() -> auth.authenticate(hs.serialize()))).contains("HS256");
    // Also with the JWK's JSON as the secret.
    JWSObject hs2 = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
        new Payload(idp.claims(AUD, now()).build().toJSONObject()));
    hs2.sign(new MACSigner(idp.rsa.toPublicJWK().toJSONString().getBytes()));
    assertThat(reason(() -> auth.authenticate(hs2.serialize()))).contains("HS256");
    assertThat(auth.authenticate(idp.rs256(idp.claims(AUD, now()).build())).subject()).isEqualTo("alice");
  }

  @Test
  void signatureByAnotherKeyWithTheSameKidIsRefused() throws Exception {
    RSAKey attacker = FakeIdp.Keys.OTHER_RSA;
    assertThat(reason(() -> auth.authenticate(FakeIdp.sign(attacker, JWSAlgorithm.RS256, idp.claims(AUD, now()).build(), h -> {}))))
        .contains("signature");
    // Tampered payload with a genuine signature.
    String good = idp.rs256(idp.claims(AUD, now()).build());
    String[] parts = good.split("\\.");
    String evilPayload = Base64URL.encode(idp.claims(AUD, now()).subject("admin").build().toString()).toString();
    assertThat(reason(() -> auth.authenticate(parts[0] + "." + evilPayload + "." + parts[2]))).contains("signature");
  }

  @Test
  void algorithmNotOnTheAllowListIsRefused() throws Exception {
    assertThat(reason(() -> auth.authenticate(FakeIdp.sign(idp.rsa, JWSAlgorithm.RS512, idp.claims(AUD, now()).build(), h -> {}))))
        .contains("RS512");
  }

  @Test
  void unknownKidFloodFetchesTheKeySetAtMostOncePerCooldown() throws Exception {
    auth.authenticate(idp.rs256(idp.claims(AUD, now()).build()));
    assertThat(idp.jwksFetches()).isEqualTo(1);
    RSAKey attacker = FakeIdp.Keys.OTHER_RSA;
    flood(attacker, "early-", 100);
    // The keys were fetched just now: no refetch inside the cooldown, whatever the kids.
    assertThat(idp.jwksFetches()).isEqualTo(1);
    clock.advance(COOLDOWN.plusSeconds(1));
    flood(attacker, "bogus-", 200);
    // One refetch for the first unknown kid, then the cooldown holds again.
    assertThat(idp.jwksFetches()).isEqualTo(2);
    clock.advance(COOLDOWN.plusSeconds(1));
    flood(attacker, "again-", 50);
    assertThat(idp.jwksFetches()).isEqualTo(3);
    // Legitimate twin: known keys keep working throughout without fetches.
    auth.authenticate(idp.es256(idp.claims(AUD, now()).build()));
    assertThat(idp.jwksFetches()).isEqualTo(3);
  }

  private void flood(RSAKey attacker, String kidPrefix, int n) {
    for (int i = 0; i < n; i++) {
      RSAKey bogus = new RSAKey.Builder(attacker).keyID(kidPrefix + i).build();
      String token = FakeIdp.sign(bogus, JWSAlgorithm.RS256, idp.claims(AUD, now()).build(), h -> {});
      assertThat(reason(() -> auth.authenticate(token))).contains("signature");
    }
  }

  @Test
  void aRotatedKeyIsPickedUpOnItsFirstToken() throws Exception {
    auth.authenticate(idp.rs256(idp.claims(AUD, now()).build()));
    ECKey next = new ECKeyGenerator(Curve.P_256).keyID("ec-2").keyUse(KeyUse.SIGNATURE).generate();
    idp.publish(next);
    clock.advance(COOLDOWN.plusSeconds(1));
    Principal p = auth.authenticate(FakeIdp.sign(next, JWSAlgorithm.ES256, idp.claims(AUD, now()).build(), h -> {}));
    assertThat(p.subject()).isEqualTo("alice");
    assertThat(idp.jwksFetches()).isEqualTo(2);
  }

  @Test
  void keySetIsFetchedAgainAfterItsTtl() throws Exception {
    auth.authenticate(idp.rs256(idp.claims(AUD, now()).build()));
    clock.advance(Duration.ofMinutes(11));
    auth.authenticate(idp.rs256(idp.claims(AUD, now()).build()));
    assertThat(idp.jwksFetches()).isEqualTo(2);
  }

  @Test
  void typAtJwtIsEnforcedWhenRequired() throws Exception {
    JwtAuthenticator strict = authenticator(true, null);
    String plainTyp = FakeIdp.sign(idp.rsa, JWSAlgorithm.RS256, idp.claims(AUD, now()).build(),
        h -> h.type(com.nimbusds.jose.JOSEObjectType.JWT));
    assertThat(reason(() -> strict.authenticate(plainTyp))).contains("at+jwt");
    assertThat(strict.authenticate(idp.rs256(idp.claims(AUD, now()).build())).subject()).isEqualTo("alice");
    // Not required: a plain JWT typ is fine.
    assertThat(auth.authenticate(plainTyp).subject()).isEqualTo("alice");
  }

  @Test
  void unreachableIssuerIsTemporarilyUnavailableNotInvalid() {
    idp.close();
    String token = idp.rs256(idp.claims(AUD, now()).build());
    assertThatThrownBy(() -> auth.authenticate(token))
        .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.error()).isEqualTo(AuthException.Error.TEMPORARILY_UNAVAILABLE));
  }

  @Test
  void garbageIsInvalid() {
    assertThat(reason(() -> auth.authenticate("not-a-jwt"))).contains("malformed");
    assertThat(reason(() -> auth.authenticate("eyJ.eyJ.sig"))).contains("malformed");
  }

  private JwtAuthenticator authenticator(Duration jwksTtl, ScopeClaims scopeClaims) {
    IssuerKeys keys = IssuerKeys.remote(idp.issuer, null, null, DocumentFetcher.http(), jwksTtl, COOLDOWN, clock);
    return new JwtAuthenticator(List.of(keys),
        new JwtAuthenticator.Settings(List.of(AUD), List.of("RS256", "ES256"), SKEW, false, 100, scopeClaims), clock);
  }

  @Test
  void aCachedTokenStopsWorkingOnceItsSigningKeyIsWithdrawn() throws Exception {
    JwtAuthenticator a = authenticator(Duration.ofMinutes(1), ScopeClaims.DEFAULT);
    String token = idp.rs256(idp.claims(AUD, now()).expirationTime(Date.from(now().plus(Duration.ofMinutes(30)))).build());
    a.authenticate(token);
    synchronized (idp.published) {
      idp.published.removeIf(k -> "rsa-1".equals(k.getKeyID()));
    }
    // Within the key set's TTL the gateway does not know yet; after it, the cached token is refused
    // although the validated-token cache (5 min) would still hold it.
    clock.advance(Duration.ofSeconds(30));
    assertThat(a.authenticate(token).subject()).isEqualTo("alice");
    clock.advance(Duration.ofSeconds(40));
    assertThat(reason(() -> a.authenticate(token))).contains("signature does not verify");
  }

  @Test
  void aCachedTokenWhoseKeyIsStillPublishedSurvivesTheKeySetRefresh() throws Exception {
    JwtAuthenticator a = authenticator(Duration.ofMinutes(1), ScopeClaims.DEFAULT);
    String token = idp.rs256(idp.claims(AUD, now()).expirationTime(Date.from(now().plus(Duration.ofMinutes(30)))).build());
    a.authenticate(token);
    clock.advance(Duration.ofSeconds(70));
    assertThat(a.authenticate(token).subject()).isEqualTo("alice");
    assertThat(a.authenticate(token).subject()).isEqualTo("alice");
    assertThat(idp.jwksFetches()).isEqualTo(2);
  }

  @Test
  void scopesComeFromTheConfiguredClaimsOnly() throws Exception {
    // An Entra ID client-credentials token: application permissions arrive in roles, not scp.
    String token = idp.rs256(idp.claims(AUD, now()).claim("scope", null).claim("scp", "mcp.tools")
        .claim("roles", List.of("Tickets.Write", "Tickets.Read")).build());
    assertThat(auth.authenticate(token).scopes()).containsExactly("mcp.tools");
    JwtAuthenticator entra = authenticator(Duration.ofMinutes(10), new ScopeClaims(List.of("scp", "roles")));
    assertThat(entra.authenticate(token).scopes()).containsExactlyInAnyOrder("mcp.tools", "Tickets.Write", "Tickets.Read");
    // A v1 token: scp space-separated; and scope is not read when not listed.
    String v1 = idp.rs256(idp.claims(AUD, now()).claim("scp", "mcp.tools mcp.read").build());
    assertThat(entra.authenticate(v1).scopes()).containsExactlyInAnyOrder("mcp.tools", "mcp.read");
  }
}
