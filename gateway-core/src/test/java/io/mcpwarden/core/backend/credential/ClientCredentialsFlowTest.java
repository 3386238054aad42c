package io.mcpwarden.core.backend.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mcpwarden.core.config.UpstreamAuthConfig.ClientAuthMethod;
import io.mcpwarden.core.config.UpstreamAuthConfig;
import io.mcpwarden.core.secret.Secret;
import io.mcpwarden.core.secret.SecretResolver;
import io.mcpwarden.core.testing.ManualClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClientCredentialsFlowTest {
  private Idp idp;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final SecretResolver secrets = SecretResolver.of(Map.of("idp-client-secret", Secret.of(Idp.CLIENT_SECRET)));

  @BeforeEach
  void start() {
    idp = new Idp();
  }

  @AfterEach
  void stop() {
    idp.close();
  }

  private UpstreamCredentials flow(ClientAuthMethod method, Duration skew) {
    UpstreamAuthConfig config = new UpstreamAuthConfig.ClientCredentials(
        idp.endpoint(method),
        new UpstreamAuthConfig.TokenTarget(List.of("billing.read"), List.of(URI.create("https://billing.example/mcp")), List.of("billing-api"), skew));
    return UpstreamCredentials.create("billing", config, secrets, clock);
  }

  private static String bearer(Map<String, Secret> headers) {
    String v = headers.get("Authorization").reveal();
    assertThat(v).startsWith("Bearer ");
    return v.substring("Bearer ".length());
  }

  @Test
  void fetchesATokenWithTheConfiguredClientScopeResourceAndAudience() throws Exception {
    UpstreamCredentials creds = flow(ClientAuthMethod.CLIENT_SECRET_BASIC, Duration.ofSeconds(30));
    String token = bearer(creds.headers(UpstreamContext.ANONYMOUS));

    Idp.TokenCall call = idp.next();
    assertThat(call.param("grant_type")).isEqualTo("client_credentials");
    assertThat(call.param("scope")).isEqualTo("billing.read");
    assertThat(call.param("resource")).isEqualTo("https://billing.example/mcp");
    assertThat(call.param("audience")).isEqualTo("billing-api");
    assertThat(call.param("client_secret")).isNull();
    assertThat(new String(Base64.getDecoder().decode(call.authorization().substring("Basic ".length())), StandardCharsets.UTF_8))
        .isEqualTo(Idp.CLIENT_ID + ":" + Idp.CLIENT_SECRET);

    JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo(Idp.CLIENT_ID);
    assertThat(claims.getIssuer()).endsWith("/" + Idp.ISSUER);
  }

  @Test
  void clientSecretPostSendsTheSecretInTheBody() throws Exception {
    flow(ClientAuthMethod.CLIENT_SECRET_POST, Duration.ofSeconds(30)).headers(UpstreamContext.ANONYMOUS);
    Idp.TokenCall call = idp.next();
    assertThat(call.authorization()).isNull();
    assertThat(call.param("client_id")).isEqualTo(Idp.CLIENT_ID);
    assertThat(call.param("client_secret")).isEqualTo(Idp.CLIENT_SECRET);
  }

  @Test
  void cachesTheTokenUntilShortlyBeforeExpiryThenRefreshes() throws Exception {
    UpstreamCredentials creds = flow(ClientAuthMethod.CLIENT_SECRET_BASIC, Duration.ofSeconds(30));
    String first = bearer(creds.headers(UpstreamContext.ANONYMOUS));
    long lifetime = SignedJWT.parse(first).getJWTClaimsSet().getExpirationTime().getTime() / 1000
        - SignedJWT.parse(first).getJWTClaimsSet().getIssueTime().getTime() / 1000;
    assertThat(idp.drain()).hasSize(1);

    // Used again and again while valid: no new token request, for any user.
    for (int i = 0; i < 5; i++) {
      assertThat(bearer(creds.headers(UpstreamContext.of("user" + i, null)))).isEqualTo(first);
    }
    // expires_in may be a second short of exp - iat: stay clear of the exact boundary.
    clock.advance(Duration.ofSeconds(lifetime - 40));
    assertThat(bearer(creds.headers(UpstreamContext.ANONYMOUS))).isEqualTo(first);
    assertThat(idp.drain()).isEmpty();

    // Within the skew of expiry: a new token is fetched.
    clock.advance(Duration.ofSeconds(12));
    String second = bearer(creds.headers(UpstreamContext.ANONYMOUS));
    assertThat(idp.drain()).hasSize(1);
    assertThat(second).isNotEqualTo(first);
    assertThat(bearer(creds.headers(UpstreamContext.ANONYMOUS))).isEqualTo(second);
    assertThat(idp.drain()).isEmpty();
  }

  @Test
  void aRejectedTokenIsReplacedOnTheNextRequest() throws Exception {
    UpstreamCredentials creds = flow(ClientAuthMethod.CLIENT_SECRET_BASIC, Duration.ofSeconds(30));
    String first = bearer(creds.headers(UpstreamContext.ANONYMOUS));
    creds.rejected(UpstreamContext.ANONYMOUS);
    clock.advance(Duration.ofSeconds(1)); // the mock signs with second precision
    String second = bearer(creds.headers(UpstreamContext.ANONYMOUS));
    assertThat(second).isNotEqualTo(first);
    assertThat(idp.drain()).hasSize(2);
  }

  @Test
  void anUnreachableTokenEndpointFailsWithoutLeakingTheSecret() {
    UpstreamAuthConfig config = new UpstreamAuthConfig.ClientCredentials(
        new UpstreamAuthConfig.TokenEndpoint(URI.create("http://127.0.0.1:1/token"), "warden", "idp-client-secret",
            ClientAuthMethod.CLIENT_SECRET_BASIC, Duration.ofSeconds(2)),
        new UpstreamAuthConfig.TokenTarget(List.of(), List.of(), List.of(), Duration.ofSeconds(30)));
    UpstreamCredentials creds = UpstreamCredentials.create("billing", config, secrets, clock);
    assertThatThrownBy(() -> creds.headers(UpstreamContext.ANONYMOUS))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("token endpoint unreachable")
        .hasMessageNotContaining(Idp.CLIENT_SECRET);
  }

  @Test
  void anErrorResponseIsReportedByItsCode() throws Exception {
    com.sun.net.httpserver.HttpServer refusing = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    refusing.createContext("/token", ex -> {
      byte[] body = "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(401, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    refusing.start();
    try {
      UpstreamAuthConfig config = new UpstreamAuthConfig.ClientCredentials(
          new UpstreamAuthConfig.TokenEndpoint(URI.create("http://127.0.0.1:" + refusing.getAddress().getPort() + "/token"), "warden",
              "idp-client-secret", ClientAuthMethod.CLIENT_SECRET_BASIC, Duration.ofSeconds(2)),
          new UpstreamAuthConfig.TokenTarget(List.of(), List.of(), List.of(), Duration.ofSeconds(30)));
      UpstreamCredentials creds = UpstreamCredentials.create("billing", config, secrets, clock);
      assertThatThrownBy(() -> creds.headers(UpstreamContext.ANONYMOUS))
          .isInstanceOf(CredentialException.class)
          .hasMessageContaining("invalid_client")
          .hasMessageNotContaining("bad secret");
    } finally {
      refusing.stop(0);
    }
  }

  @Test
  void issuedTokensStayRedacted() {
    UpstreamCredentials creds = flow(ClientAuthMethod.CLIENT_SECRET_BASIC, Duration.ofSeconds(30));
    Map<String, Secret> headers = creds.headers(UpstreamContext.ANONYMOUS);
    assertThat(headers.toString()).isEqualTo("{Authorization=[redacted]}");
  }
}
