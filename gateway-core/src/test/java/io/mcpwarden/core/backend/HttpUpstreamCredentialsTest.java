package io.mcpwarden.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import io.mcpwarden.core.backend.credential.UpstreamContext;
import io.mcpwarden.core.backend.credential.UpstreamCredentials;
import io.mcpwarden.core.config.HttpConfig;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.config.UpstreamAuthConfig;
import io.mcpwarden.core.config.UpstreamAuthConfig.ClientAuthMethod;
import io.mcpwarden.core.message.JsonCodec;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.secret.Secret;
import io.mcpwarden.core.secret.SecretResolver;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.eclipse.jetty.http.HttpField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTTP transport carries the configured upstream credential on every request (POST, GET,
 * DELETE) and nothing of the front client's token: a fixture upstream records every header.
 */
class HttpUpstreamCredentialsTest {
  private static final Duration WAIT = Duration.ofSeconds(25);
  private static final String FRONT_TOKEN_MARKER = "front";

  private HttpFakeUpstream fake;
  private MockOAuth2Server idp;
  private StreamableHttpBackend backend;
  private final HttpStreamableBackendTest.RecordingListener listener = new HttpStreamableBackendTest.RecordingListener();
  private final SecretResolver secrets = SecretResolver.of(Map.of(
      "upstream-api-key", Secret.of("api-key-from-store"),
      "idp-client-secret", Secret.of("warden-secret")));

  @BeforeEach
  void setUp() throws Exception {
    fake = new HttpFakeUpstream();
    idp = new MockOAuth2Server();
    idp.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (backend != null) {
      backend.close();
    }
    fake.close();
    idp.shutdown();
  }

  private StreamableHttpBackend backend(UpstreamAuthConfig auth) {
    ServerConfig config = new ServerConfig("crm", ServerConfig.Transport.HTTP, true, Duration.ofSeconds(20), Duration.ofSeconds(20), null,
        new HttpConfig(fake.url(), Map.of(), Duration.ofSeconds(1), 8, auth));
    UpstreamCredentials creds = UpstreamCredentials.create("crm", auth, secrets, Clock.systemUTC());
    backend = new StreamableHttpBackend(config, new JsonCodec(64, 1 << 20), creds);
    backend.start();
    return backend;
  }

  private UpstreamAuthConfig.TokenEndpoint endpoint() {
    return new UpstreamAuthConfig.TokenEndpoint(idp.tokenEndpointUrl("corp").uri(), "warden", "idp-client-secret",
        ClientAuthMethod.CLIENT_SECRET_BASIC, Duration.ofSeconds(5));
  }

  private String frontToken(String subject) {
    return idp.issueToken("corp", subject, "https://gateway.example/mcp", Map.of("marker", FRONT_TOKEN_MARKER)).serialize();
  }

  private static ObjectNode toolCall(int id) {
    ObjectNode params = JsonRpc.NODES.objectNode();
    params.put("name", "echo");
    return JsonRpc.request(JsonRpc.NODES.numberNode(id), "tools/call", params);
  }

  /** Opens a session for a user, makes a call and ends the session (POSTs and a DELETE). */
  private void useOnce(StreamableHttpBackend b, UpstreamContext context) {
    UpstreamSession session = b.open(listener, JsonRpc.NODES.objectNode(), context);
    session.call(toolCall(1), RelatedSink.NONE).await(WAIT);
    session.close();
  }

  private void assertNoRequestCarries(String frontToken) {
    assertThat(fake.received).isNotEmpty();
    for (HttpFakeUpstream.Received r : fake.received) {
      for (HttpField f : r.headers()) {
        assertThat(f.getValue()).as(r.httpMethod() + " header " + f.getName()).doesNotContain(frontToken);
      }
    }
  }

  @Test
  void aStaticApiKeyFromTheStoreIsSentAndTheClientTokenIsNot() {
    String front = frontToken("alice");
    useOnce(backend(new UpstreamAuthConfig.Static("X-Api-Key", null, "upstream-api-key")), UpstreamContext.of("alice", Secret.of(front)));

    assertThat(fake.withHttpMethod("POST")).hasSizeGreaterThanOrEqualTo(3);
    assertThat(fake.withHttpMethod("DELETE")).hasSize(1);
    for (HttpFakeUpstream.Received r : fake.received) {
      assertThat(r.header("X-Api-Key")).isEqualTo("api-key-from-store");
      assertThat(r.header("Authorization")).isNull();
    }
    assertNoRequestCarries(front);
  }

  @Test
  void aStaticBearerTokenGoesInAuthorization() {
    useOnce(backend(new UpstreamAuthConfig.Static("Authorization", "Bearer", "upstream-api-key")), UpstreamContext.ANONYMOUS);
    for (HttpFakeUpstream.Received r : fake.received) {
      assertThat(r.header("Authorization")).isEqualTo("Bearer api-key-from-store");
    }
  }

  @Test
  void tokenExchangeSendsTheIssuedTokenWhoseAudienceIsTheUpstream() throws Exception {
    String front = frontToken("alice");
    useOnce(backend(new UpstreamAuthConfig.TokenExchange(endpoint(),
            new UpstreamAuthConfig.TokenTarget(List.of(), List.of(fake.url()), List.of("crm-upstream"), Duration.ofSeconds(30)), 100)),
        UpstreamContext.of("alice", Secret.of(front)));

    String sent = null;
    for (HttpFakeUpstream.Received r : fake.received) {
      String auth = r.header("Authorization");
      assertThat(auth).startsWith("Bearer ");
      sent = sent == null ? auth : sent;
      assertThat(auth).as("one exchanged token, cached, on every request").isEqualTo(sent);
    }
    String token = sent.substring("Bearer ".length());
    assertThat(token).isNotEqualTo(front);
    var claims = SignedJWT.parse(token).getJWTClaimsSet();
    assertThat(claims.getAudience()).containsExactly("crm-upstream");
    assertThat(claims.getSubject()).isEqualTo("alice");
    assertNoRequestCarries(front);
  }

  @Test
  void tokenExchangeWithoutAClientTokenLeavesTheUpstreamUnopened() {
    StreamableHttpBackend b = backend(new UpstreamAuthConfig.TokenExchange(endpoint(),
        new UpstreamAuthConfig.TokenTarget(List.of(), List.of(), List.of("crm-upstream"), Duration.ofSeconds(30)), 100));
    assertThatThrownBy(() -> b.open(listener, JsonRpc.NODES.objectNode(), UpstreamContext.ANONYMOUS))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("Upstream 'crm'")
        .hasMessageContaining("needs an authenticated client");
    assertThat(fake.received).as("nothing is sent without a credential").isEmpty();
  }

  @Test
  void anUpstream401DropsTheCachedTokenSoTheNextRequestGetsANewOne() {
    AtomicInteger calls = new AtomicInteger();
    fake.onRequest.put("tools/call", (r, reply) -> {
      if (calls.incrementAndGet() == 1) {
        reply.status(401);
      } else {
        ObjectNode result = JsonRpc.NODES.objectNode();
        result.putArray("content");
        reply.json(JsonRpc.result(r.rpcId(), result));
      }
    });
    StreamableHttpBackend b = backend(new UpstreamAuthConfig.ClientCredentials(endpoint(),
        new UpstreamAuthConfig.TokenTarget(List.of("crm.read"), List.of(), List.of(), Duration.ofSeconds(30))));
    UpstreamSession session = b.open(listener, JsonRpc.NODES.objectNode(), UpstreamContext.ANONYMOUS);
    assertThatThrownBy(() -> session.call(toolCall(1), RelatedSink.NONE).await(WAIT)).hasMessageContaining("401");
    session.call(toolCall(2), RelatedSink.NONE).await(WAIT);

    List<HttpFakeUpstream.Received> toolCalls = fake.withRpcMethod("tools/call");
    assertThat(toolCalls).hasSize(2);
    assertThat(toolCalls.get(1).header("Authorization")).startsWith("Bearer ").isNotEqualTo(toolCalls.get(0).header("Authorization"));
    session.close();
  }
}
