package io.mcpwarden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.TokenRequest;
import io.mcpwarden.it.support.CliRun;
import io.mcpwarden.it.support.IdpRequests;
import io.mcpwarden.it.support.GatewayHarness;
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
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The gateway as an OAuth 2.1 protected resource, against a real OAuth server
 * (mock-oauth2-server, embedded) and through HTTP only: every attack next to the legitimate request
 * that passes.
 */
class AuthIT {
  private static final String ISSUER_ID = "default";
  private static final String INIT = RawMcp.INIT;
  private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}";
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private static MockOAuth2Server idp;
  private static String issuer;
  private GatewayHarness gw;
  private String resource;

  @TempDir Path temp;

  @BeforeAll
  static void startIdp() {
    idp = new MockOAuth2Server();
    idp.start(InetAddress.getLoopbackAddress(), 0);
    issuer = idp.issuerUrl(ISSUER_ID).toString();
  }

  @AfterAll
  static void stopIdp() {
    idp.shutdown();
  }

  @BeforeEach
  void startGateway() {
    gw = GatewayHarness.start("""
        sessions:
          max-per-user: 3
        auth:
          issuers:
            - issuer: %s
          required-scopes: [mcp:tools]
          scopes-supported: [mcp:tools, demo:math]
          servers:
            demo:
              tools:
                add: { required-scopes: [demo:math] }
                word_count: { high-risk: true }
          max-token-bytes: 4096
        servers:
        """.formatted(issuer) + GatewayHarness.demoServer("demo"));
    resource = gw.url().toString();
    IdpRequests.drain(idp);
  }

  @AfterEach
  void stopGateway() {
    gw.close();
  }

  // ------------------------------------------------------------------ helpers

  private static String token(String subject, String audience, String scope) {
    return token(ISSUER_ID, subject, audience, scope, 300);
  }

  private static String token(String issuerId, String subject, String audience, String scope, long expirySeconds) {
    Map<String, Object> claims = new LinkedHashMap<>();
    if (scope != null) {
      claims.put("scope", scope);
    }
    SignedJWT jwt = idp.issueToken(issuerId, "test-client",
        new DefaultOAuth2TokenCallback(issuerId, subject, JOSEObjectType.JWT.getType(), List.of(audience), claims, expirySeconds));
    return jwt.serialize();
  }

  private String alice() {
    return token("alice", resource, "mcp:tools");
  }

  private static Map<String, String> headers(String sessionId, String token) {
    Map<String, String> h = RawMcp.std(sessionId);
    if (token != null) {
      h.put("Authorization", "Bearer " + token);
    }
    return h;
  }

  private RawMcp.Reply post(String body, String sessionId, String token) {
    return gw.raw().post(body, headers(sessionId, token));
  }

  private String initialize(String token) {
    RawMcp.Reply r = post(INIT, null, token);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String sid = r.header("Mcp-Session-Id");
    assertThat(post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", sid, token).status()).isEqualTo(202);
    return sid;
  }

  private static String call(String tool, String argsJson) {
    return "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + argsJson + "}}";
  }

  /** The parameters of a {@code WWW-Authenticate: Bearer ...} challenge. */
  private static Map<String, String> challenge(RawMcp.Reply r) {
    String h = r.header("WWW-Authenticate");
    assertThat(h).as("WWW-Authenticate of %s", r.status()).isNotNull().startsWith("Bearer ");
    return params(h);
  }

  private static Map<String, String> params(String header) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = PARAM.matcher(header);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  private String prmUrl() {
    return gw.baseUrl() + "/.well-known/oauth-protected-resource/mcp";
  }

  private static HttpResponse<String> http(HttpRequest req) {
    try {
      return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode getJson(String url) {
    HttpResponse<String> r = http(HttpRequest.newBuilder(URI.create(url)).GET().build());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return RawMcp.JSON.readTree(r.body());
  }


  private static int jwksFetches() {
    int n = 0;
    RecordedRequest r;
    while ((r = IdpRequests.next(idp, 200)) != null) {
      if (r.getRequestUrl() != null && r.getRequestUrl().encodedPath().endsWith("/jwks")) {
        n++;
      }
    }
    return n;
  }

  private static RSAKey idpSigningKey() throws Exception {
    return (RSAKey) JWKSet.load(URI.create(idp.jwksUrl(ISSUER_ID).toString()).toURL()).getKeys().getFirst();
  }

  // ------------------------------------------------------------------ protected resource metadata

  @Test
  void protectedResourceMetadataIsServedAtBothWellKnownLocations() {
    for (String url : List.of(prmUrl(), gw.baseUrl() + "/.well-known/oauth-protected-resource")) {
      JsonNode prm = getJson(url);
      assertThat(prm.path("resource").asString()).isEqualTo(resource);
      assertThat(prm.path("authorization_servers").get(0).asString()).isEqualTo(issuer);
      assertThat(prm.path("scopes_supported").toString()).isEqualTo("[\"mcp:tools\",\"demo:math\"]");
      assertThat(prm.path("bearer_methods_supported").toString()).isEqualTo("[\"header\"]");
    }
    // The document is public: no token needed, and only GET.
    HttpResponse<String> post = http(HttpRequest.newBuilder(URI.create(prmUrl())).POST(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  // ------------------------------------------------------------------ 401: no token

  @Test
  void noTokenGets401WithAChallengeNamingTheMetadataAndScope() {
    RawMcp.Reply r = post(INIT, null, null);
    assertThat(r.status()).isEqualTo(401);
    Map<String, String> c = challenge(r);
    assertThat(c).containsEntry("resource_metadata", prmUrl()).containsEntry("scope", "mcp:tools").doesNotContainKey("error");
    assertThat(r.json().path("error").path("message").asString()).startsWith("Unauthorized");
    // Twin: the same request with a token.
    assertThat(post(INIT, null, alice()).status()).isEqualTo(200);
    await().untilAsserted(() -> assertThat(gw.auditEvents(Map.of("type", "auth.fail"))).isNotEmpty());
    await().untilAsserted(() -> assertThat(gw.auditEvents(Map.of("type", "auth.ok"))).hasSize(1));
  }

  @Test
  void aSessionIdNeverStandsInForAToken() {
    String token = alice();
    String sid = initialize(token);
    // POST request, notification, response, GET stream and DELETE: each needs the token.
    for (String body : List.of(PING, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":\"srv-1\",\"result\":{}}")) {
      RawMcp.Reply r = post(body, sid, null);
      assertThat(r.status()).as(body).isEqualTo(401);
    }
    Map<String, String> get = RawMcp.std(sid);
    get.put("Accept", "text/event-stream");
    get.put("Last-Event-ID", "1-0");
    try (RawMcp.SseStream s = gw.raw().openGet(get)) {
      assertThat(s.status()).isEqualTo(401);
    }
    assertThat(gw.raw().delete(RawMcp.std(sid)).status()).isEqualTo(401);
    // Twins: with the token the same requests pass.
    assertThat(post(PING, sid, token).status()).isEqualTo(200);
    assertThat(gw.raw().delete(headers(sid, token)).status()).isEqualTo(204);
  }

  // ------------------------------------------------------------------ 401: bad tokens

  @Test
  void tokenForAnotherAudienceIsRefused() {
    RawMcp.Reply r = post(INIT, null, token("alice", "https://other.example/mcp", "mcp:tools"));
    assertThat(r.status()).isEqualTo(401);
    assertThat(challenge(r)).containsEntry("error", "invalid_token").containsEntry("resource_metadata", prmUrl());
    assertThat(challenge(r).get("error_description")).contains("audience");
    // Scheme and host case variants of our own URI are the same audience.
    String upper = resource.replace("http://127.0.0.1", "HTTP://127.0.0.1");
    assertThat(post(INIT, null, token("alice", upper, "mcp:tools")).status()).isEqualTo(200);
  }

  @Test
  void tokenFromAnUntrustedIssuerIsRefused() {
    RawMcp.Reply r = post(INIT, null, token("untrusted", "alice", resource, "mcp:tools", 300));
    assertThat(r.status()).isEqualTo(401);
    assertThat(challenge(r)).containsEntry("error", "invalid_token");
    assertThat(challenge(r).get("error_description")).contains("issuer");
    assertThat(post(INIT, null, alice()).status()).isEqualTo(200);
  }

  @Test
  void expiredTokenIsRefused() {
    RawMcp.Reply r = post(INIT, null, token(ISSUER_ID, "alice", resource, "mcp:tools", -300));
    assertThat(r.status()).isEqualTo(401);
    assertThat(challenge(r)).containsEntry("error", "invalid_token").containsEntry("error_description", "token expired");
    assertThat(post(INIT, null, token(ISSUER_ID, "alice", resource, "mcp:tools", 60)).status()).isEqualTo(200);
  }

  @Test
  void algNoneIsRefused() throws Exception {
    JWTClaimsSet claims = SignedJWT.parse(alice()).getJWTClaimsSet();
    RawMcp.Reply r = post(INIT, null, new PlainJWT(claims).serialize());
    assertThat(r.status()).isEqualTo(401);
    assertThat(challenge(r)).containsEntry("error", "invalid_token");
    assertThat(post(INIT, null, alice()).status()).isEqualTo(200);
  }

  @Test
  void hmacSignedWithTheIssuersPublicKeyIsRefused() throws Exception {
    RSAKey published = idpSigningKey();
    JWTClaimsSet claims = SignedJWT.parse(alice()).getJWTClaimsSet();
    JWSObject forged = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(published.getKeyID()).build(),
        new Payload(claims.toJSONObject()));
    forged.sign(new MACSigner(published.toRSAPublicKey().getEncoded()));
    RawMcp.Reply r = post(INIT, null, forged.serialize());
    assertThat(r.status()).isEqualTo(401);
    assertThat(challenge(r).get("error_description")).contains("HS256");
    assertThat(post(INIT, null, alice()).status()).isEqualTo(200);
  }

  @Test
  void unknownKidFloodFetchesTheIssuerKeysAFewTimesAtMost() throws Exception {
    assertThat(post(INIT, null, alice()).status()).isEqualTo(200);
    RSAKey attacker = new RSAKeyGenerator(2048).generate();
    JWTClaimsSet claims = SignedJWT.parse(alice()).getJWTClaimsSet();
    for (int i = 0; i < 60; i++) {
      SignedJWT bogus = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("kid-" + UUID.randomUUID()).build(), claims);
      bogus.sign(new RSASSASigner(attacker));
      RawMcp.Reply r = post(INIT, null, bogus.serialize());
      assertThat(r.status()).isEqualTo(401);
    }
    // The first fetch plus at most one refetch inside the 30 s cooldown, whatever the flood.
    assertThat(jwksFetches()).isBetween(1, 2);
    assertThat(gw.gateway().resource().jwt().keys(issuer).fetchCount()).isBetween(1L, 2L);
    assertThat(post(INIT, null, alice()).status()).isEqualTo(200);
  }

  @Test
  void tokenInTheQueryStringIsRefused() {
    String token = alice();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(resource + "?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.ofString(INIT));
    RawMcp.std(null).forEach(b::header);
    HttpResponse<String> r = http(b.build());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(params(r.headers().firstValue("WWW-Authenticate").orElseThrow())).containsEntry("error", "invalid_request");
    // Even together with a good header: a token in a URL is a leaked token.
    b.header("Authorization", "Bearer " + token);
    assertThat(http(b.build()).statusCode()).isEqualTo(400);
    // Twin: the header alone.
    assertThat(post(INIT, null, token).status()).isEqualTo(200);
    // The token never reaches the audit log.
    await().untilAsserted(() -> assertThat(gw.auditEvents(Map.of("type", "auth.fail"))).isNotEmpty());
    assertThat(gw.auditEvents().toString()).doesNotContain(token);
  }

  @Test
  void malformedAuthorizationHeadersAreBadRequests() {
    Map<String, String> basic = RawMcp.std(null);
    basic.put("Authorization", "Basic YWxpY2U6c2VjcmV0");
    RawMcp.Reply r = gw.raw().post(INIT, basic);
    assertThat(r.status()).isEqualTo(400);
    assertThat(challenge(r)).containsEntry("error", "invalid_request");
  }

  @Test
  void oversizeAuthorizationHeaderIsRefused() {
    RawMcp.Reply r = post(INIT, null, "a".repeat(6000));
    assertThat(r.status()).isEqualTo(431);
    // Twin: a token within the limit goes through validation (and passes when good).
    assertThat(post(INIT, null, alice()).status()).isEqualTo(200);
  }

  // ------------------------------------------------------------------ sessions bound to users

  @Test
  void stolenSessionIdWithAnotherUsersValidTokenIs404AndAudited() {
    String aliceToken = alice();
    String sid = initialize(aliceToken);
    String bobToken = token("bob", resource, "mcp:tools");
    RawMcp.Reply stolen = post(call("demo_echo", "{\"text\":\"secret\"}"), sid, bobToken);
    assertThat(stolen.status()).isEqualTo(404);
    assertThat(stolen.body()).doesNotContain("secret");
    Map<String, String> get = headers(sid, bobToken);
    get.put("Accept", "text/event-stream");
    try (RawMcp.SseStream s = gw.raw().openGet(get)) {
      assertThat(s.status()).isEqualTo(404);
    }
    assertThat(gw.raw().delete(headers(sid, bobToken)).status()).isEqualTo(404);
    await().untilAsserted(() -> {
      List<JsonNode> hijacks = gw.auditEvents(Map.of("type", "session.hijack"));
      assertThat(hijacks).hasSize(3);
      assertThat(hijacks.getFirst().path("subject").asString()).isEqualTo("bob [" + issuer + "]");
    });
    // Twin: the owner's session is untouched and works.
    RawMcp.Reply own = post(call("demo_echo", "{\"text\":\"mine\"}"), sid, aliceToken);
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.message().path("result").path("content").get(0).path("text").asString()).isEqualTo("mine");
    // A new token of the same user reaches the same session (sessions are bound to the user, not the token).
    assertThat(post(PING, sid, alice()).status()).isEqualTo(200);
  }

  @Test
  void maxSessionsPerUserIsEnforced() {
    String token = alice();
    for (int i = 0; i < 3; i++) {
      initialize(token);
    }
    RawMcp.Reply r = post(INIT, null, token);
    assertThat(r.status()).isEqualTo(429);
    // Another user is not affected.
    assertThat(post(INIT, null, token("bob", resource, "mcp:tools")).status()).isEqualTo(200);
  }

  // ------------------------------------------------------------------ 403: scopes

  @Test
  void insufficientScopeGets403WithEveryScopeTheToolNeeds() {
    String token = alice();
    String sid = initialize(token);
    RawMcp.Reply r = post(call("demo_add", "{\"a\":1,\"b\":2}"), sid, token);
    assertThat(r.status()).isEqualTo(403);
    assertThat(challenge(r)).containsEntry("error", "insufficient_scope").containsEntry("scope", "mcp:tools demo:math")
        .containsEntry("resource_metadata", prmUrl());
    assertThat(r.json().path("error").path("message").asString()).contains("Insufficient scope");
    // Twins: other tools with the same token, and this tool with the stepped-up token.
    assertThat(post(call("demo_echo", "{\"text\":\"hi\"}"), sid, token).status()).isEqualTo(200);
    RawMcp.Reply stepped = post(call("demo_add", "{\"a\":1,\"b\":2}"), sid, token("alice", resource, "mcp:tools demo:math"));
    assertThat(stepped.status()).isEqualTo(200);
    assertThat(stepped.message().path("result").path("structuredContent").path("sum").asDouble()).isEqualTo(3.0);
  }

  @Test
  void tokenWithoutTheGlobalScopeGets403() {
    RawMcp.Reply r = post(INIT, null, token("alice", resource, "profile"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(challenge(r)).containsEntry("error", "insufficient_scope").containsEntry("scope", "mcp:tools");
    // The refusal is audited under the (authenticated) user.
    await().untilAsserted(() -> assertThat(gw.auditEvents(Map.of("type", "auth.fail", "subject", "alice [" + issuer + "]"))).hasSize(1));
  }

  @Test
  void replayedJtiOnAHighRiskToolIsRefused() {
    String token = alice();
    String sid = initialize(token);
    String count = call("demo_word_count", "{\"text\":\"one two three\"}");
    assertThat(post(count, sid, token).status()).isEqualTo(200);
    RawMcp.Reply replay = post(count, sid, token);
    assertThat(replay.status()).isEqualTo(401);
    assertThat(challenge(replay)).containsEntry("error", "invalid_token");
    // Twins: a fresh token works on the high-risk tool, and the used one still works elsewhere.
    assertThat(post(count, sid, alice()).status()).isEqualTo(200);
    assertThat(post(call("demo_echo", "{\"text\":\"x\"}"), sid, token).status()).isEqualTo(200);
  }

  // ------------------------------------------------------------------ end to end

  /** A client token source that follows the challenge: metadata, AS metadata, token endpoint. */
  private final class FollowTheChallenge {
    final AtomicReference<String> token = new AtomicReference<>();
    final List<Integer> statuses = new CopyOnWriteArrayList<>();
    final AtomicInteger tokenRequests = new AtomicInteger();

    boolean handle(HttpResponse.ResponseInfo info) {
      statuses.add(info.statusCode());
      String header = info.headers().firstValue("WWW-Authenticate").orElse(null);
      if (header == null) {
        return false;
      }
      Map<String, String> c = params(header);
      JsonNode prm = getJson(c.get("resource_metadata"));
      String as = prm.path("authorization_servers").get(0).asString();
      JsonNode asMeta = getJson(as + "/.well-known/openid-configuration");
      String scope = c.getOrDefault("scope", "");
      String form = "grant_type=client_credentials&client_id=e2e&client_secret=x&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)
          + "&resource=" + URLEncoder.encode(prm.path("resource").asString(), StandardCharsets.UTF_8);
      // The authorization server issues a token for the requested resource (RFC 8707), for user "carol".
      idp.enqueueCallback(new ResourceIndicatorCallback("carol"));
      HttpResponse<String> t = http(HttpRequest.newBuilder(URI.create(asMeta.path("token_endpoint").asString()))
          .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
      assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
      tokenRequests.incrementAndGet();
      token.set(RawMcp.JSON.readTree(t.body()).path("access_token").asString());
      return true;
    }
  }

  /** mock-oauth2-server callback honouring the {@code resource} and {@code scope} parameters. */
  private record ResourceIndicatorCallback(String subject) implements OAuth2TokenCallback {
    @Override
    public String issuerId() {
      return ISSUER_ID;
    }

    @Override
    public String subject(TokenRequest request) {
      return subject;
    }

    @Override
    public String typeHeader(TokenRequest request) {
      return "at+jwt";
    }

    @Override
    public List<String> audience(TokenRequest request) {
      return request.getResources() == null ? List.of() : request.getResources().stream().map(URI::toString).toList();
    }

    @Override
    public Map<String, Object> addClaims(TokenRequest request) {
      return request.getScope() == null ? Map.of() : Map.of("scope", request.getScope().toString());
    }

    @Override
    public long tokenExpiry() {
      return 300;
    }
  }

  @Test
  void sdkClientFollowsThe401ToTheMetadataGetsATokenAndCallsTools() {
    FollowTheChallenge auth = new FollowTheChallenge();
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(gw.baseUrl())
        .endpoint("/mcp")
        .addHttpRequestCustomizer((builder, method, uri, body, ctx) -> {
          String t = auth.token.get();
          if (t != null) {
            builder.setHeader("Authorization", "Bearer " + t);
          }
        })
        .authorizationErrorHandler(McpHttpClientTransportAuthorizationErrorHandler.fromSync((request, info, ctx) -> auth.handle(info)))
        .build();
    try (McpSyncClient client = McpClient.sync(transport).clientInfo(McpSchema.Implementation.builder("e2e", "1").build())
        .requestTimeout(Duration.ofSeconds(30)).build()) {
      client.initialize();
      assertThat(auth.statuses).startsWith(401);
      McpSchema.CallToolResult echo = client.callTool(McpSchema.CallToolRequest.builder("demo_echo").arguments(Map.of("text", "hello")).build());
      assertThat(((McpSchema.TextContent) echo.content().getFirst()).text()).isEqualTo("hello");
      // Step-up: demo_add needs demo:math; the 403 challenge names it and the client gets it.
      McpSchema.CallToolResult sum = client.callTool(McpSchema.CallToolRequest.builder("demo_add").arguments(Map.of("a", 2, "b", 3)).build());
      assertThat(sum.isError()).isNotEqualTo(Boolean.TRUE);
      assertThat(auth.statuses).contains(403);
      assertThat(auth.tokenRequests.get()).isEqualTo(2);
    }
    await().untilAsserted(() -> assertThat(gw.auditEvents(Map.of("type", "auth.ok", "subject", "carol [" + issuer + "]"))).hasSize(1));
  }

  // ------------------------------------------------------------------ development issuer and CLI

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }


  @Test
  void devTokenFromTheCliWorksAgainstTheDevIssuerAndSessionsCanBeRevoked() throws Exception {
    int port = freePort();
    Path adminToken = temp.resolve("admin.token");
    Files.writeString(adminToken, "admin-" + UUID.randomUUID());
    String yaml = """
        listen:
          port: %d
        sessions:
          admin-token: file:%s
        auth:
          required-scopes: [mcp:tools]
          dev-issuer:
            enabled: true
            key-file: %s
        servers:
        """.formatted(port, adminToken, temp.resolve("dev-key.json")) + GatewayHarness.demoServer("demo");
    Path config = temp.resolve("secured.yaml");
    Files.writeString(config, yaml.replace("${warden.home}", GatewayHarness.repoRoot().toString()));
    try (GatewayHarness dev = GatewayHarness.start(yaml, Clock.systemUTC(), c -> c.withPort(port))) {
      String base = dev.baseUrl();
      JsonNode prm = getJson(base + "/.well-known/oauth-protected-resource/mcp");
      assertThat(prm.path("authorization_servers").get(0).asString()).isEqualTo(base + "/.dev-issuer");
      assertThat(getJson(base + "/.dev-issuer/.well-known/openid-configuration").path("jwks_uri").asString())
          .isEqualTo(base + "/.dev-issuer/jwks.json");
      assertThat(getJson(base + "/.dev-issuer/jwks.json").path("keys").get(0).has("d")).isFalse();

      CliRun minted = CliRun.of("dev-token", "--config", config.toString(), "--sub", "alice", "--ttl", "2m");
      assertThat(minted.exit()).as(minted.err()).isZero();
      String aliceToken = minted.out().strip();
      CliRun bobMinted = CliRun.of("dev-token", "--config", config.toString(), "--sub", "bob");
      String bobToken = bobMinted.out().strip();
      RawMcp raw = dev.raw();
      Map<String, String> h = RawMcp.std(null);
      h.put("Authorization", "Bearer " + aliceToken);
      RawMcp.Reply init = raw.post(INIT, h);
      assertThat(init.status()).as(init.body()).isEqualTo(200);
      String aliceSid = init.header("Mcp-Session-Id");
      h.put("Authorization", "Bearer " + bobToken);
      String bobSid = raw.post(INIT, h).header("Mcp-Session-Id");
      // Attack twin: a token for another audience from the same dev issuer is refused.
      CliRun foreign = CliRun.of("dev-token", "--config", config.toString(), "--sub", "alice", "--aud", "https://other.example/mcp");
      h.put("Authorization", "Bearer " + foreign.out().strip());
      assertThat(raw.post(INIT, h).status()).isEqualTo(401);

      // Revocation through the CLI and the loopback admin endpoint.
      CliRun listed = CliRun.of("sessions", "list", "--url", base, "--token-file", adminToken.toString());
      assertThat(listed.exit()).as(listed.err()).isZero();
      assertThat(listed.out()).contains(aliceSid).contains(bobSid);
      CliRun revoked = CliRun.of("sessions", "revoke", "--url", base, "--token-file", adminToken.toString(), "--user", "alice");
      assertThat(revoked.exit()).as(revoked.err()).isZero();
      assertThat(revoked.out()).contains("\"revoked\":1");
      Map<String, String> ping = RawMcp.std(aliceSid);
      ping.put("Authorization", "Bearer " + aliceToken);
      assertThat(raw.post(PING, ping).status()).isEqualTo(404);
      ping = RawMcp.std(bobSid);
      ping.put("Authorization", "Bearer " + bobToken);
      assertThat(raw.post(PING, ping).status()).isEqualTo(200);
      CliRun one = CliRun.of("sessions", "revoke", "--url", base, "--token-file", adminToken.toString(), "--session", bobSid);
      assertThat(one.out()).contains("\"revoked\":1");
      assertThat(raw.post(PING, ping).status()).isEqualTo(404);
      // The admin endpoint refuses a wrong token.
      Path wrong = temp.resolve("wrong.token");
      Files.writeString(wrong, "not-the-admin-token");
      assertThat(CliRun.of("sessions", "list", "--url", base, "--token-file", wrong.toString()).exit()).isNotZero();
      await().untilAsserted(() -> assertThat(dev.auditEvents(Map.of("type", "session.revoke"))).hasSize(2));
    }
  }

  @Test
  void devTokenRefusesAConfigurationWithoutTheDevIssuer() throws Exception {
    Path config = temp.resolve("plain.yaml");
    Files.writeString(config, "auth:\n  issuers: [{ issuer: \"https://idp.example.com\" }]\nservers:\n  demo:\n    command: [\"true\"]\n");
    CliRun r = CliRun.of("dev-token", "--config", config.toString(), "--sub", "alice");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("dev-issuer is not enabled");
    assertThat(r.out()).isEmpty();
  }
}
