package io.mcpwarden.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpwarden.core.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevIssuerTest {
  private static final String ORIGIN = "http://127.0.0.1:7700";
  private static final String AUD = "http://127.0.0.1:7700/mcp";
  private final ManualClock clock = new ManualClock(Instant.parse("2025-11-25T10:00:00Z"));

  @TempDir Path dir;

  @Test
  void createsAPrivateKeyFileOnceAndReusesIt() throws Exception {
    Path file = dir.resolve("sub/dev-issuer.jwk");
    DevIssuer a = DevIssuer.open(file, ORIGIN, clock);
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    DevIssuer b = DevIssuer.open(file, ORIGIN, clock);
    assertThat(b.publicKeys().toString()).isEqualTo(a.publicKeys().toString());
    assertThat(a.publicKeys().toString()).doesNotContain("\"d\"");
    assertThat(a.issuer()).isEqualTo("http://127.0.0.1:7700/.dev-issuer");
    assertThat(a.metadata().path("jwks_uri").asString()).isEqualTo("http://127.0.0.1:7700/.dev-issuer/jwks.json");
  }

  @Test
  void mintedTokensValidateAgainstItsKeysAndExpire() throws Exception {
    DevIssuer dev = DevIssuer.open(dir.resolve("k.jwk"), ORIGIN, clock);
    JwtAuthenticator auth = new JwtAuthenticator(List.of(IssuerKeys.fixed(dev.issuer(), dev.publicKeys(), clock)),
        new JwtAuthenticator.Settings(List.of(AUD), List.of("ES256"), Duration.ofSeconds(30), true, 10), clock);
    String token = dev.mint("alice", List.of("mcp:tools"), AUD, Duration.ofMinutes(5));
    Principal p = auth.authenticate(token);
    assertThat(p.subject()).isEqualTo("alice");
    assertThat(p.scopes()).containsExactly("mcp:tools");
    clock.advance(Duration.ofMinutes(6));
    assertThatThrownBy(() -> auth.authenticate(token)).hasMessageContaining("expired");
    assertThatThrownBy(() -> auth.authenticate(dev.mint("bob", List.of(), "https://elsewhere/mcp", Duration.ofMinutes(1))))
        .hasMessageContaining("audience");
  }

  @Test
  void refusesBadInputs() throws Exception {
    DevIssuer dev = DevIssuer.open(dir.resolve("k.jwk"), ORIGIN, clock);
    assertThatThrownBy(() -> dev.mint("", List.of(), AUD, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> dev.mint("a", List.of(), AUD, Duration.ofDays(2))).isInstanceOf(IllegalArgumentException.class);
    Files.writeString(dir.resolve("bad.jwk"), "{\"kty\":\"oct\",\"k\":\"AAAA\"}");
    assertThatThrownBy(() -> DevIssuer.open(dir.resolve("bad.jwk"), ORIGIN, clock)).hasMessageContaining("EC P-256");
  }
}
