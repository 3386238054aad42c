package io.mcpwarden.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import io.mcpwarden.it.support.IdpRequests;
import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.RawMcp;
import io.mcpwarden.it.support.ScriptedProcess;
import io.mcpwarden.server.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * RFC 8693 token exchange through the gateway, end to end: the gateway is a protected
 * resource trusting an embedded mock-oauth2-server; its HTTP upstream (the scripted fixture, which
 * reports the headers of every request it received) is configured with {@code auth: {type:
 * token-exchange}} against that server's token endpoint, with the client secret from the secret
 * store. The upstream sees a token issued for it, for the calling user, and never the client's.
 */
class TokenExchangeIT {
  private static final String ISSUER_ID = "default";
  private static final String CLIENT_ID = "warden";
  private static final String CLIENT_SECRET = "idp-client-secret-from-store-3f8a";
  private static final String EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";

  private static MockOAuth2Server idp;
  private static String issuer;
  private static ScriptedProcess upstream;
  private static String upstreamAudience;
  private static GatewayHarness gw;
  private static String resource;

  @BeforeAll
  static void start() throws IOException {
    idp = new MockOAuth2Server();
    idp.start(InetAddress.getLoopbackAddress(), 0);
    issuer = idp.issuerUrl(ISSUER_ID).toString();

    Path dir = Files.createTempDirectory("warden-token-exchange-it");
    Path store = dir.resolve("data/secrets.enc");
    Path key = dir.resolve("data/secrets.key");
    InputStream in = System.in;
    try {
      System.setIn(new ByteArrayInputStream(CLIENT_SECRET.getBytes(StandardCharsets.UTF_8)));
      int code = Main.execute("secrets", "set", "idp-client-secret", "--store", store.toString(), "--key-file", key.toString());
      assertThat(code).as("secrets set").isZero();
    } finally {
      System.setIn(in);
    }

    upstream = ScriptedProcess.startHttp("--name", "h", "--tools", "search");
    upstreamAudience = upstream.url().toString();
    // The test reads the credentials the upstream received through a tool result, which the
    // content guard would redact (docs/content-guards.md): result redaction off here.
    gw = GatewayHarness.start("""
        content:
          secrets-in-results: allow
        secrets:
          store: "%s"
          key-file: "%s"
        auth:
          issuers:
            - issuer: %s
        servers:
          h:
            url: "%s"
            auth:
              type: token-exchange
              token-endpoint: "%s"
              client-id: %s
              client-secret: ${secret:idp-client-secret}
              audience: "%s"
        """.formatted(store, key, issuer, upstream.url(), idp.tokenEndpointUrl(ISSUER_ID), CLIENT_ID, upstreamAudience));
    resource = gw.url().toString();
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (idp != null) {
      idp.shutdown();
    }
  }

  @BeforeEach
  void forgetEarlierIdpRequests() {
    idpRequests();
  }

  // ------------------------------------------------------------------ helpers

  private static String token(String subject, String audience) {
    return idp.issueToken(ISSUER_ID, "front-client",
        new DefaultOAuth2TokenCallback(ISSUER_ID, subject, JOSEObjectType.JWT.getType(), List.of(audience), Map.of(), 300))
        .serialize();
  }

  private static Map<String, String> headers(String sessionId, String token) {
    Map<String, String> h = RawMcp.std(sessionId);
    h.put("Authorization", "Bearer " + token);
    return h;
  }

  private static RawMcp.Reply post(String body, String sessionId, String token) {
    return gw.raw().post(body, headers(sessionId, token));
  }

  private static String initialize(String token) {
    RawMcp.Reply r = post(RawMcp.INIT, null, token);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String sid = r.header("Mcp-Session-Id");
    assertThat(post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", sid, token).status()).isEqualTo(202);
    return sid;
  }

  private static String call(String tool) {
    return "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":{}}}";
  }

  /** Calls the fixture's {@code headers} tool; what the upstream saw on this and every earlier request. */
  private static JsonNode upstreamHeaders(String sid, String token) {
    RawMcp.Reply r = post(call("h_headers"), sid, token);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode result = r.message().path("result");
    assertThat(result.path("isError").asBoolean(false)).as(result.toString()).isFalse();
    return RawMcp.JSON.readTree(result.path("content").get(0).path("text").asString());
  }

  private static String bearerOf(JsonNode seen) {
    String authorization = seen.path("current").path("authorization").asString();
    assertThat(authorization).startsWith("Bearer ");
    return authorization.substring("Bearer ".length());
  }

  /** A JWT's payload, decoded by hand (base64url JSON), no signature check: what the upstream would read. */
  private static JsonNode payload(String jwt) {
    String[] parts = jwt.split("\\.");
    assertThat(parts).as("a JWS compact serialization").hasSize(3);
    return RawMcp.JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
  }

  private static List<String> audiences(JsonNode claims) {
    JsonNode aud = claims.path("aud");
    List<String> out = new ArrayList<>();
    if (aud.isArray()) {
      aud.forEach(a -> out.add(a.asString()));
    } else if (!aud.isMissingNode()) {
      out.add(aud.asString());
    }
    return out;
  }

  /** Every header value the upstream received on any request so far. */
  private static List<String> allHeaderValues(JsonNode seen) {
    List<String> values = new ArrayList<>();
    for (JsonNode request : seen.path("all")) {
      request.path("headers").forEach(v -> values.add(v.asString()));
    }
    return values;
  }

  /** Token requests (POSTs to the token endpoint) the IdP received since the last call, as form parameters. */
  private static List<Map<String, String>> idpRequests() {
    List<Map<String, String>> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = IdpRequests.next(idp, 200)) != null) {
      if ("POST".equals(r.getMethod()) && r.getRequestUrl() != null && r.getRequestUrl().encodedPath().endsWith("/token")) {
        Map<String, String> form = form(r.getBody().readUtf8());
        form.put("#authorization", String.valueOf(r.getHeader("Authorization")));
        out.add(form);
      }
    }
    return out;
  }


  private static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ tests

  @Test
  void theUpstreamGetsAnExchangedTokenForItselfAndTheUserNeverTheClientsToken() {
    String aliceToken = token("alice", resource);
    idpRequests();
    String sid = initialize(aliceToken);
    JsonNode seen = upstreamHeaders(sid, aliceToken);

    String t2 = bearerOf(seen);
    assertThat(t2).isNotEqualTo(aliceToken);
    JsonNode claims = payload(t2);
    assertThat(audiences(claims)).containsExactly(upstreamAudience).doesNotContain(resource);
    assertThat(claims.path("sub").asString()).isEqualTo("alice");
    assertThat(claims.path("iss").asString()).isEqualTo(issuer);

    // This session's upstream requests carried the exchanged token; every upstream request carried some
    // exchanged token (other tests' users' included), and the client's token appears in no header.
    int withT2 = 0;
    for (JsonNode request : seen.path("all")) {
      String authorization = request.path("headers").path("authorization").asString();
      assertThat(authorization).as("credential on %s", request).startsWith("Bearer ");
      assertThat(payload(authorization.substring("Bearer ".length())).path("aud").toString()).contains(upstreamAudience);
      if (authorization.equals("Bearer " + t2)) {
        withT2++;
      }
    }
    assertThat(withT2).as("initialize, initialized, the call").isGreaterThanOrEqualTo(3);
    assertThat(allHeaderValues(seen)).isNotEmpty().noneMatch(v -> v.contains(aliceToken));

    // The exchange itself: the client's token went to the authorization server (only), as the gateway's client.
    List<Map<String, String>> exchanges = idpRequests();
    assertThat(exchanges).hasSize(1);
    Map<String, String> x = exchanges.getFirst();
    assertThat(x).containsEntry("grant_type", EXCHANGE_GRANT)
        .containsEntry("subject_token", aliceToken)
        .containsEntry("subject_token_type", "urn:ietf:params:oauth:token-type:access_token")
        .containsEntry("audience", upstreamAudience);
    String basic = new String(Base64.getDecoder().decode(x.get("#authorization").substring("Basic ".length())), StandardCharsets.UTF_8);
    assertThat(basic).isEqualTo(CLIENT_ID + ":" + CLIENT_SECRET);

    // A second call of the same user reuses the exchanged token (cached per user), no new exchange.
    assertThat(bearerOf(upstreamHeaders(sid, aliceToken))).isEqualTo(t2);
    assertThat(idpRequests()).isEmpty();
  }

  @Test
  void anotherUserGetsADifferentExchangedTokenForTheirOwnSubject() {
    String aliceToken = token("alice", resource);
    String bobToken = token("bob", resource);
    String aliceT2 = bearerOf(upstreamHeaders(initialize(aliceToken), aliceToken));
    JsonNode bobSeen = upstreamHeaders(initialize(bobToken), bobToken);
    String bobT2 = bearerOf(bobSeen);

    assertThat(bobT2).isNotEqualTo(aliceT2).isNotEqualTo(bobToken);
    JsonNode bob = payload(bobT2);
    assertThat(bob.path("sub").asString()).isEqualTo("bob");
    assertThat(audiences(bob)).containsExactly(upstreamAudience);
    assertThat(payload(aliceT2).path("sub").asString()).isEqualTo("alice");
    assertThat(allHeaderValues(bobSeen)).noneMatch(v -> v.contains(bobToken) || v.contains(aliceToken));
  }

  @Test
  void aClientTokenForAnotherAudienceIsRefusedAtTheGatewayAndNothingIsExchanged() {
    String foreign = token("mallory", "https://other.example/mcp");
    idpRequests();
    RawMcp.Reply init = post(RawMcp.INIT, null, foreign);
    assertThat(init.status()).isEqualTo(401);
    assertThat(init.header("WWW-Authenticate")).startsWith("Bearer ").contains("invalid_token");

    // The same on an established session: a foreign-audience token of its owner is refused before any upstream work.
    String aliceToken = token("alice", resource);
    String sid = initialize(aliceToken);
    String aliceForeign = token("alice", "https://other.example/mcp");
    idpRequests();
    RawMcp.Reply call = post(call("h_headers"), sid, aliceForeign);
    assertThat(call.status()).isEqualTo(401);
    assertThat(idpRequests()).as("token requests after the refusals").isEmpty();

    // Twin: the right token on the same session works, and neither refused token ever reached the upstream.
    JsonNode seen = upstreamHeaders(sid, aliceToken);
    assertThat(payload(bearerOf(seen)).path("sub").asString()).isEqualTo("alice");
    assertThat(allHeaderValues(seen)).noneMatch(v -> v.contains(foreign) || v.contains(aliceForeign) || v.contains(aliceToken));
  }
}
