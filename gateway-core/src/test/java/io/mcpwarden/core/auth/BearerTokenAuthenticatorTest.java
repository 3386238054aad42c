package io.mcpwarden.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import io.mcpwarden.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BearerTokenAuthenticatorTest {
  private static final String AUD = "https://gw.example/mcp";
  private final ManualClock clock = new ManualClock(Instant.parse("2025-11-25T10:00:00Z"));

  private JwtAuthenticator jwt(String issuer) {
    return new JwtAuthenticator(List.of(IssuerKeys.fixed(issuer, new JWKSet(FakeIdp.Keys.RSA), clock)),
        new JwtAuthenticator.Settings(List.of(AUD), List.of("RS256"), Duration.ofSeconds(30), false, 10), clock);
  }

  @Test
  void jwtsGoToTheJwtAuthenticator() throws Exception {
    String issuer = "https://idp.example";
    BearerTokenAuthenticator a = new BearerTokenAuthenticator(jwt(issuer), null, 4096);
    String token = FakeIdp.sign(FakeIdp.Keys.RSA, com.nimbusds.jose.JWSAlgorithm.RS256,
        new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(issuer).subject("alice").audience(AUD)
            .expirationTime(java.util.Date.from(clock.instant().plusSeconds(60))).build(), h -> {});
    assertThat(a.authenticate(token).subject()).isEqualTo("alice");
  }

  @Test
  void opaqueTokenWithoutIntrospectionIsInvalid() {
    BearerTokenAuthenticator a = new BearerTokenAuthenticator(jwt("https://idp.example"), null, 4096);
    assertThatThrownBy(() -> a.authenticate("opaque-token")).hasMessageContaining("not a JWT");
  }

  @Test
  void oversizeAndMalformedTokensAreRefusedBeforeParsing() {
    BearerTokenAuthenticator a = new BearerTokenAuthenticator(jwt("https://idp.example"), null, 16);
    assertThatThrownBy(() -> a.authenticate("a".repeat(17))).hasMessageContaining("too long");
    assertThatThrownBy(() -> a.authenticate("has space")).hasMessageContaining("malformed");
    assertThatThrownBy(() -> a.authenticate("quote\"")).hasMessageContaining("malformed");
    assertThatThrownBy(() -> a.authenticate("")).isInstanceOfSatisfying(AuthException.class,
        e -> assertThat(e.error()).isEqualTo(AuthException.Error.MISSING_TOKEN));
  }

  @Test
  void recognisesJwsCompactSerialization() {
    assertThat(BearerTokenAuthenticator.looksLikeJwt("eyJhbGciOiJSUzI1NiJ9.eyJ9.c2ln")).isTrue();
    assertThat(BearerTokenAuthenticator.looksLikeJwt("abc.def.ghi")).isFalse();
    assertThat(BearerTokenAuthenticator.looksLikeJwt("opaque")).isFalse();
    assertThat(BearerTokenAuthenticator.looksLikeJwt("a.b.c.d.e")).isFalse();
  }
}
