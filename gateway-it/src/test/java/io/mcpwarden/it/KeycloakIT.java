package io.mcpwarden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.KeycloakServer;
import io.mcpwarden.it.support.RawMcp;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Interoperability with a real Keycloak (the {@code keycloak-quarkus-dist} zip from Maven
 * Central, started in development mode): the gateway trusts a realm given by its issuer URL only,
 * accepts the tokens Keycloak issues for it (the audience mapper of the documented setup puts the
 * gateway's resource URI into {@code aud}) and refuses those of another client.
 *
 * <p>The realm is set up exactly as docs/authorization.md describes: a client scope
 * {@code mcp:tools} with an audience mapper, a confidential client {@code mcp-agent} having that
 * scope, a second confidential client {@code other-app} without it, and a user. Keycloak starts
 * once for the class (30 s to a few minutes on a busy machine; the first run after unpacking
 * also rebuilds it for development mode).
 */
class KeycloakIT {
  private static final String REALM = "mcp";
  private static final String SCOPE = "mcp:tools";
  private static final String AGENT_SECRET = "agent-secret-" + Long.toHexString(System.nanoTime());
  private static final String OTHER_SECRET = "other-secret-" + Long.toHexString(System.nanoTime());
  private static final String WARDEN_SECRET = "warden-secret-" + Long.toHexString(System.nanoTime());
  private static final String ALICE_PASSWORD = "alice-pw-" + Long.toHexString(System.nanoTime());
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private static KeycloakServer keycloak;
  private static GatewayHarness gw;
  private static String resource;
  private static String aliceId;

  @BeforeAll
  static void startKeycloakAndGateway() {
    KeycloakServer.Distribution dist = KeycloakServer.distribution();
    assumeTrue(dist.home() != null, () -> "Keycloak interop test skipped: " + dist.unavailable());
    keycloak = KeycloakServer.start(dist.home(), Duration.ofMinutes(6));
    int gatewayPort = freePort();
    resource = "http://127.0.0.1:" + gatewayPort + "/mcp";
    setUpRealm();
    // The gateway knows Keycloak by its issuer URL alone: keys come through OIDC discovery.
    gw = GatewayHarness.start("""
        auth:
          issuers:
            - issuer: %s
          required-scopes: [%s]
          algorithms: [RS256]
        servers:
        """.formatted(keycloak.issuer(REALM), SCOPE) + GatewayHarness.demoServer("demo"),
        Clock.systemUTC(), cfg -> cfg.withPort(gatewayPort));
    assertThat(gw.url().toString()).isEqualTo(resource);
  }

  /** The documented Keycloak setup, through the admin REST API. */
  private static void setUpRealm() {
    keycloak.adminPost("", KeycloakServer.object("realm", REALM, "enabled", true));
    // The gateway's own client, for token introspection.
    keycloak.adminPost("/" + REALM + "/clients", KeycloakServer.object(
        "clientId", "mcp-warden", "enabled", true, "publicClient", false, "secret", WARDEN_SECRET,
        "standardFlowEnabled", false, "protocol", "openid-connect"));
    // Client scope mcp:tools, in the token's scope, with the audience mapper adding the resource URI.
    keycloak.adminPost("/" + REALM + "/client-scopes", KeycloakServer.object(
        "name", SCOPE, "protocol", "openid-connect",
        "attributes", Map.of("include.in.token.scope", "true", "display.on.consent.screen", "false"),
        "protocolMappers", List.of(KeycloakServer.object(
            "name", "mcp-warden audience", "protocol", "openid-connect", "protocolMapper", "oidc-audience-mapper",
            "config", Map.of("included.custom.audience", resource, "access.token.claim", "true",
                "id.token.claim", "false", "introspection.token.claim", "true")),
        // Keycloak answers introspection only to a client named in the token's audience.
        KeycloakServer.object(
            "name", "mcp-warden introspection", "protocol", "openid-connect", "protocolMapper", "oidc-audience-mapper",
            "config", Map.of("included.client.audience", "mcp-warden", "access.token.claim", "true",
                "id.token.claim", "false", "introspection.token.claim", "true")))));
    keycloak.adminPost("/" + REALM + "/clients", KeycloakServer.object(
        "clientId", "mcp-agent", "enabled", true, "publicClient", false, "secret", AGENT_SECRET,
        "serviceAccountsEnabled", true, "directAccessGrantsEnabled", true, "standardFlowEnabled", false,
        "protocol", "openid-connect", "defaultClientScopes", List.of("basic", "profile", SCOPE)));
    keycloak.adminPost("/" + REALM + "/clients", KeycloakServer.object(
        "clientId", "other-app", "enabled", true, "publicClient", false, "secret", OTHER_SECRET,
        "serviceAccountsEnabled", true, "standardFlowEnabled", false, "protocol", "openid-connect"));
    aliceId = keycloak.adminPost("/" + REALM + "/users", KeycloakServer.object(
        "username", "alice", "enabled", true, "email", "alice@example.com", "emailVerified", true,
        "firstName", "Alice", "lastName", "Example",
        "credentials", List.of(Map.of("type", "password", "value", ALICE_PASSWORD, "temporary", false))));
  }

  @AfterAll
  static void stopAll() {
    if (gw != null) {
      gw.close();
    }
    if (keycloak != null) {
      keycloak.close();
    }
  }

  // ------------------------------------------------------------------ helpers

  private static String clientCredentials(String clientId, String secret) {
    return keycloak.token(REALM, Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret))
        .path("access_token").asString();
  }

  private static JsonNode payload(String jwt) {
    return RawMcp.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
  }

  private static RawMcp.Reply initialize(String token) {
    return initialize(gw, token);
  }

  private static RawMcp.Reply initialize(GatewayHarness g, String token) {
    Map<String, String> h = RawMcp.std(null);
    h.put("Authorization", "Bearer " + token);
    return g.raw().post(RawMcp.INIT, h);
  }

  private static String aliceToken() {
    return keycloak.token(REALM, Map.of("grant_type", "password", "client_id", "mcp-agent", "client_secret", AGENT_SECRET,
        "username", "alice", "password", ALICE_PASSWORD)).path("access_token").asString();
  }

  private static Map<String, String> params(String header) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = PARAM.matcher(header);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  private static JsonNode getJson(String url) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(url).isEqualTo(200);
      return RawMcp.JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------ tests

  @Test
  void metadataPointsToKeycloakWhoseDiscoveryLeadsToItsTokenEndpoint() {
    JsonNode prm = getJson(gw.baseUrl() + "/.well-known/oauth-protected-resource/mcp");
    assertThat(prm.path("resource").asString()).isEqualTo(resource);
    assertThat(prm.path("authorization_servers").get(0).asString()).isEqualTo(keycloak.issuer(REALM));
    JsonNode as = getJson(keycloak.issuer(REALM) + "/.well-known/openid-configuration");
    assertThat(as.path("issuer").asString()).isEqualTo(keycloak.issuer(REALM));
    assertThat(as.path("token_endpoint").asString()).startsWith(keycloak.issuer(REALM));
  }

  @Test
  void serviceTokenWithTheAudienceMapperIsAccepted() {
    String token = clientCredentials("mcp-agent", AGENT_SECRET);
    JsonNode claims = payload(token);
    assertThat(claims.path("aud").toString()).contains(resource);
    assertThat(claims.path("scope").asString()).contains(SCOPE);
    RawMcp.Reply r = initialize(token);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  @Test
  void tokenOfAnotherClientWithoutTheAudienceIsRefusedWithTheRightChallenge() {
    String token = clientCredentials("other-app", OTHER_SECRET);
    assertThat(payload(token).path("aud").toString()).doesNotContain(resource);
    RawMcp.Reply r = initialize(token);
    assertThat(r.status()).isEqualTo(401);
    Map<String, String> c = params(r.header("WWW-Authenticate"));
    assertThat(r.header("WWW-Authenticate")).startsWith("Bearer ");
    assertThat(c).containsEntry("error", "invalid_token")
        .containsEntry("resource_metadata", gw.baseUrl() + "/.well-known/oauth-protected-resource/mcp")
        .containsEntry("scope", SCOPE);
    assertThat(c.get("error_description")).contains("audience");
    await().untilAsserted(() -> assertThat(gw.auditEvents(Map.of("type", "auth.fail"))).isNotEmpty());
  }

  /**
   * The official SDK client starts without a token, follows the 401 to the gateway's metadata and
   * Keycloak's discovery document, gets alice's token (password grant of {@code mcp-agent}) and
   * calls a tool.
   */
  @Test
  void sdkClientFollowsThe401ToKeycloakAndCallsAToolWithAUserToken() {
    AtomicReference<String> token = new AtomicReference<>();
    List<Integer> statuses = new CopyOnWriteArrayList<>();
    List<String> tokenEndpoints = new ArrayList<>();
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(gw.baseUrl())
        .endpoint("/mcp")
        .addHttpRequestCustomizer((builder, method, uri, body, ctx) -> {
          String t = token.get();
          if (t != null) {
            builder.setHeader("Authorization", "Bearer " + t);
          }
        })
        .authorizationErrorHandler(McpHttpClientTransportAuthorizationErrorHandler.fromSync((request, info, ctx) -> {
          statuses.add(info.statusCode());
          String header = info.headers().firstValue("WWW-Authenticate").orElse(null);
          if (header == null || token.get() != null) {
            return false;
          }
          Map<String, String> c = params(header);
          JsonNode prm = getJson(c.get("resource_metadata"));
          String issuer = prm.path("authorization_servers").get(0).asString();
          String tokenEndpoint = getJson(issuer + "/.well-known/openid-configuration").path("token_endpoint").asString();
          tokenEndpoints.add(tokenEndpoint);
          Map<String, String> form = new LinkedHashMap<>();
          form.put("grant_type", "password");
          form.put("client_id", "mcp-agent");
          form.put("client_secret", AGENT_SECRET);
          form.put("username", "alice");
          form.put("password", ALICE_PASSWORD);
          form.put("scope", c.getOrDefault("scope", ""));
          form.put("resource", prm.path("resource").asString());
          HttpResponse<String> t = KeycloakServer.postForm(URI.create(tokenEndpoint), form);
          assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
          token.set(RawMcp.JSON.readTree(t.body()).path("access_token").asString());
          return true;
        }))
        .build();
    try (McpSyncClient client = McpClient.sync(transport).clientInfo(McpSchema.Implementation.builder("kc-e2e", "1").build())
        .requestTimeout(Duration.ofSeconds(30)).build()) {
      client.initialize();
      assertThat(statuses).containsExactly(401);
      assertThat(tokenEndpoints).containsExactly(keycloak.issuer(REALM) + "/protocol/openid-connect/token");
      McpSchema.CallToolResult echo = client.callTool(
          McpSchema.CallToolRequest.builder("demo_echo").arguments(Map.of("text", "hello keycloak")).build());
      assertThat(echo.isError()).isNotEqualTo(Boolean.TRUE);
      assertThat(((McpSchema.TextContent) echo.content().getFirst()).text()).isEqualTo("hello keycloak");
    }
    assertThat(payload(token.get()).path("sub").asString()).isEqualTo(aliceId);
    String owner = aliceId + " [" + keycloak.issuer(REALM) + "]";
    await().untilAsserted(() -> assertThat(gw.auditEvents(Map.of("type", "auth.ok", "subject", owner))).hasSize(1));
  }

  /**
   * With {@code introspection.tokens: all}, Keycloak's word counts: once alice's sessions are
   * ended in Keycloak, her (still unexpired) token is refused within {@code cache-ttl}. The twin:
   * local JWT validation cannot see the revocation and keeps accepting the token until it expires.
   */
  @Test
  void withIntrospectionOfJwtsALogoutInKeycloakEndsTheTokenAtTheGateway(@TempDir Path dir) throws IOException {
    Path secret = Files.writeString(dir.resolve("warden.secret"), WARDEN_SECRET);
    try (GatewayHarness introspecting = GatewayHarness.start("""
        auth:
          resource: %s
          issuers:
            - issuer: %s
          required-scopes: [%s]
          introspection:
            endpoint: %s/protocol/openid-connect/token/introspect
            client-id: mcp-warden
            client-secret: file:%s
            tokens: all
            cache-ttl: 1s
        servers:
        """.formatted(resource, keycloak.issuer(REALM), SCOPE, keycloak.issuer(REALM), secret)
        + GatewayHarness.demoServer("demo"))) {
      String token = aliceToken();
      RawMcp.Reply before = initialize(introspecting, token);
      assertThat(before.status()).as(before.header("WWW-Authenticate") + " " + before.body()).isEqualTo(200);

      keycloak.adminPost("/" + REALM + "/users/" + aliceId + "/logout", Map.of());

      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        RawMcp.Reply after = initialize(introspecting, token);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.header("WWW-Authenticate")).contains("error=\"invalid_token\"").contains("not active");
      });
      assertThat(initialize(token).status()).as("local JWT validation does not see the logout").isEqualTo(200);
    }
  }
}
