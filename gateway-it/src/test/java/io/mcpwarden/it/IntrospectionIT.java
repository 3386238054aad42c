package io.mcpwarden.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import io.mcpwarden.core.testing.ManualClock;
import io.mcpwarden.it.support.IdpRequests;
import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.RawMcp;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 7662 token introspection against a real authorization server (mock-oauth2-server, whose
 * {@code /introspect} answers {@code active: true} with the claims for the tokens it issued and
 * {@code active: false} for anything else).
 *
 * <p>Time in the gateway is a manual clock, so the cache bounds (the token's expiry and
 * {@code cache-ttl}) are shown without waiting.
 */
class IntrospectionIT {
  private static final String ISSUER_ID = "default";
  private static MockOAuth2Server idp;
  private static String issuer;

  @TempDir static Path temp;
  private final ManualClock clock = new ManualClock(Instant.now());
  private GatewayHarness gw;

  @BeforeAll
  static void startIdp() throws IOException {
    idp = new MockOAuth2Server();
    idp.start(InetAddress.getLoopbackAddress(), 0);
    issuer = idp.issuerUrl(ISSUER_ID).toString();
    Files.writeString(temp.resolve("introspection.secret"), "warden-secret\n");
  }

  @AfterAll
  static void stopIdp() {
    idp.shutdown();
  }

  @AfterEach
  void stopGateway() {
    if (gw != null) {
      gw.close();
    }
  }

  private void startGateway(String tokens) {
    gw = GatewayHarness.start("""
        auth:
          issuers:
            - issuer: %s
          required-scopes: [mcp:tools]
          introspection:
            endpoint: %sintrospect
            client-id: mcp-warden
            client-secret: file:%s
            cache-ttl: 2m
            tokens: %s
        servers:
        """.formatted(issuer, issuer.endsWith("/") ? issuer : issuer + "/", temp.resolve("introspection.secret"), tokens)
        + GatewayHarness.demoServer("demo"), clock, UnaryOperator.identity());
    IdpRequests.drain(idp);
  }

  private String token(String issuerId, String audience, long expirySeconds) {
    return idp.issueToken(issuerId, "agent", new DefaultOAuth2TokenCallback(issuerId, "alice", JOSEObjectType.JWT.getType(),
        List.of(audience), Map.of("scope", "mcp:tools"), expirySeconds)).serialize();
  }

  private RawMcp.Reply initialize(String token) {
    Map<String, String> h = RawMcp.std(null);
    h.put("Authorization", "Bearer " + token);
    return gw.raw().post(RawMcp.INIT, h);
  }


  /** Introspection requests the IdP received since the last call (each answered before the gateway replied). */
  private static int introspections() {
    int n = 0;
    RecordedRequest r;
    while ((r = IdpRequests.next(idp, 100)) != null) {
      if (r.getRequestUrl() != null && r.getRequestUrl().encodedPath().endsWith("/introspect")) {
        assertThat(r.getHeader("Authorization")).as("the gateway authenticates to the introspection endpoint").startsWith("Basic ");
        n++;
      }
    }
    return n;
  }

  @Test
  void anOpaqueTokenGoesToIntrospectionAndAnInactiveAnswerIs401() {
    startGateway("opaque");
    RawMcp.Reply r = initialize("opaque-token-the-idp-never-issued");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).contains("error=\"invalid_token\"").contains("token is not active");
    assertThat(introspections()).isEqualTo(1);
  }

  @Test
  void withTheDefaultAJwtIsValidatedLocallyWithoutIntrospection() {
    startGateway("opaque");
    RawMcp.Reply r = initialize(token(ISSUER_ID, gw.url().toString(), 300));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(introspections()).isZero();
  }

  @Test
  void anActiveTokenIsAcceptedAndItsAnswerReusedForLaterRequests() {
    startGateway("all");
    String token = token(ISSUER_ID, gw.url().toString(), 600);
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(gw.baseUrl()).endpoint("/mcp")
        .addHttpRequestCustomizer((builder, method, uri, body, ctx) -> builder.setHeader("Authorization", "Bearer " + token))
        .build();
    try (McpSyncClient client = McpClient.sync(transport).clientInfo(McpSchema.Implementation.builder("introspect", "1").build())
        .requestTimeout(Duration.ofSeconds(30)).build()) {
      client.initialize();
      McpSchema.CallToolResult echo = client.callTool(
          McpSchema.CallToolRequest.builder("demo_echo").arguments(Map.of("text", "introspected")).build());
      assertThat(((McpSchema.TextContent) echo.content().getFirst()).text()).isEqualTo("introspected");
    }
    // initialize, notifications/initialized, tools/call and DELETE were all checked: one introspection.
    assertThat(introspections()).isEqualTo(1);
  }

  @Test
  void aTokenTheAuthorizationServerDoesNotVouchForIsRefused() {
    startGateway("all");
    // Signed by the same server under another issuer id: inactive at this issuer's endpoint.
    RawMcp.Reply r = initialize(token("elsewhere", gw.url().toString(), 300));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).contains("error=\"invalid_token\"").contains("token is not active");
    // Active, but for another resource: refused for its audience, as a JWT would be.
    RawMcp.Reply other = initialize(token(ISSUER_ID, "https://other.example/mcp", 300));
    assertThat(other.status()).isEqualTo(401);
    assertThat(other.header("WWW-Authenticate")).contains("audience");
    assertThat(introspections()).isEqualTo(2);
  }

  @Test
  void theCacheNeverOutlivesTheTokenNorTheCacheTtl() {
    startGateway("all");
    String longLived = token(ISSUER_ID, gw.url().toString(), 3600);
    assertThat(initialize(longLived).status()).isEqualTo(200);
    assertThat(initialize(longLived).status()).isEqualTo(200);
    assertThat(introspections()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(2).plusSeconds(1));
    RawMcp.Reply again = initialize(longLived);
    assertThat(again.status()).as(again.header("WWW-Authenticate") + " " + again.body()).isEqualTo(200);
    assertThat(introspections()).as("asked again after cache-ttl").isEqualTo(1);

    // The gateway's clock is now 2 minutes ahead of the IdP's: this token has about 30 s left for it.
    String shortLived = token(ISSUER_ID, gw.url().toString(), 150);
    assertThat(initialize(shortLived).status()).isEqualTo(200);
    assertThat(introspections()).isEqualTo(1);
    // Past its expiry (and the 60 s clock skew) the cached answer is not reused; the new answer is refused.
    clock.advance(Duration.ofSeconds(120));
    RawMcp.Reply r = initialize(shortLived);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).contains("expired");
    assertThat(introspections()).isEqualTo(1);
  }

}
