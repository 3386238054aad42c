package io.mcpwarden.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.mcpwarden.core.testing.ManualClock;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 7662 introspection against a loopback fake authorization server. */
class IntrospectionAuthenticatorTest {
  private static final String AUD = "https://gw.example/mcp";
  private static final String ISS = "https://as.example";

  private final ManualClock clock = new ManualClock(Instant.parse("2025-11-25T10:00:00Z"));
  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile String lastAuthorization;
  private HttpServer server;
  private IntrospectionAuthenticator auth;

  @BeforeEach
  void setUp() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/introspect", ex -> {
      calls.incrementAndGet();
      lastAuthorization = ex.getRequestHeaders().getFirst("Authorization");
      String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String token = null;
      for (String kv : form.split("&")) {
        if (kv.startsWith("token=")) {
          token = URLDecoder.decode(kv.substring(6), StandardCharsets.UTF_8);
        }
      }
      boolean authorized = ("Basic " + Base64.getEncoder().encodeToString("warden:s3cret".getBytes())).equals(lastAuthorization);
      String body = !authorized ? "{\"error\":\"invalid_client\"}" : answers.getOrDefault(token, "{\"active\":false}");
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(authorized ? 200 : 401, b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    });
    server.start();
    auth = authenticator("s3cret");
  }

  private IntrospectionAuthenticator authenticator(String secret) {
    URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/introspect");
    return new IntrospectionAuthenticator(endpoint, "warden", secret, Set.of(ISS), new AudienceMatcher(List.of(AUD)),
        Duration.ofSeconds(30), Duration.ofMinutes(5), 100, clock);
  }

  @AfterEach
  void tearDown() {
    server.stop(0);
  }

  private String active(String aud, Instant exp) {
    return "{\"active\":true,\"sub\":\"bob\",\"iss\":\"" + ISS + "\",\"aud\":\"" + aud + "\",\"scope\":\"mcp:tools\",\"exp\":"
        + exp.getEpochSecond() + ",\"jti\":\"t-1\"}";
  }

  @Test
  void activeTokenForThisResourceIsAcceptedAndCached() throws Exception {
    answers.put("opaque-1", active(AUD, clock.instant().plus(Duration.ofHours(1))));
    Principal p = auth.authenticate("opaque-1");
    assertThat(p.subject()).isEqualTo("bob");
    assertThat(p.issuer()).isEqualTo(ISS);
    assertThat(p.scopes()).containsExactly("mcp:tools");
    assertThat(p.tokenId()).isEqualTo("t-1");
    assertThat(lastAuthorization).startsWith("Basic ");
    auth.authenticate("opaque-1");
    auth.authenticate("opaque-1");
    assertThat(calls.get()).isEqualTo(1);
    // The cache is bounded by the configured time ...
    clock.advance(Duration.ofMinutes(6));
    auth.authenticate("opaque-1");
    assertThat(calls.get()).isEqualTo(2);
  }

  @Test
  void cacheNeverOutlivesTheToken() throws Exception {
    answers.put("short", active(AUD, clock.instant().plus(Duration.ofMinutes(1))));
    auth.authenticate("short");
    clock.advance(Duration.ofMinutes(2));
    // The AS now (correctly) says inactive; the cached answer must not be reused past exp.
    answers.put("short", "{\"active\":false}");
    assertThatThrownBy(() -> auth.authenticate("short")).isInstanceOf(AuthException.class);
    assertThat(calls.get()).isEqualTo(2);
  }

  @Test
  void inactiveOrForeignTokensAreInvalid() {
    answers.put("other-aud", active("https://other.example/mcp", clock.instant().plus(Duration.ofHours(1))));
    answers.put("other-iss", active(AUD, clock.instant().plus(Duration.ofHours(1))).replace(ISS, "https://evil.example"));
    for (String t : List.of("unknown", "other-aud", "other-iss")) {
      assertThatThrownBy(() -> auth.authenticate(t)).isInstanceOfSatisfying(AuthException.class,
          e -> assertThat(e.error()).isEqualTo(AuthException.Error.INVALID_TOKEN));
    }
  }

  @Test
  void expiredAnswerIsInvalid() {
    answers.put("old", active(AUD, clock.instant().minus(Duration.ofMinutes(5))));
    assertThatThrownBy(() -> auth.authenticate("old")).hasMessageContaining("expired");
  }

  @Test
  void wrongClientCredentialsOrDownServerAreUnavailableNotInvalid() {
    answers.put("opaque-1", active(AUD, clock.instant().plus(Duration.ofHours(1))));
    IntrospectionAuthenticator wrong = authenticator("wrong");
    assertThatThrownBy(() -> wrong.authenticate("opaque-1")).isInstanceOfSatisfying(AuthException.class,
        e -> assertThat(e.error()).isEqualTo(AuthException.Error.TEMPORARILY_UNAVAILABLE));
    server.stop(0);
    assertThatThrownBy(() -> auth.authenticate("opaque-2")).isInstanceOfSatisfying(AuthException.class,
        e -> assertThat(e.error()).isEqualTo(AuthException.Error.TEMPORARILY_UNAVAILABLE));
  }

  @Test
  void scopesComeFromTheConfiguredMembersOfTheAnswer() throws Exception {
    answers.put("entra-app", "{\"active\":true,\"sub\":\"svc\",\"iss\":\"" + ISS + "\",\"aud\":\"" + AUD
        + "\",\"roles\":[\"Tickets.Write\"],\"exp\":" + clock.instant().plus(Duration.ofHours(1)).getEpochSecond() + "}");
    assertThat(auth.authenticate("entra-app").scopes()).isEmpty();
    URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/introspect");
    IntrospectionAuthenticator roles = new IntrospectionAuthenticator(endpoint, "warden", "s3cret", Set.of(ISS),
        new AudienceMatcher(List.of(AUD)), Duration.ofSeconds(30), Duration.ofMinutes(5), 100,
        new ScopeClaims(List.of("scope", "roles")), clock);
    assertThat(roles.authenticate("entra-app").scopes()).containsExactly("Tickets.Write");
  }
}
