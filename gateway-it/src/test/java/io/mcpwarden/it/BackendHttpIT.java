package io.mcpwarden.it;

import static io.mcpwarden.it.support.CallResults.callBody;
import static io.mcpwarden.it.support.CallResults.json;
import static io.mcpwarden.it.support.CallResults.tool;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpwarden.it.fixture.ScriptedServer;
import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.RawMcp;
import io.mcpwarden.it.support.ScriptedProcess;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Streamable HTTP backend through the gateway, against an SDK server that records every
 * request it receives: session mapping (T-17), header hygiene (A-12 style: no client credential
 * or front session id upstream), static headers, the per-upstream protocol version (T-19), and an
 * upstream that is down (L-10).
 */
class BackendHttpIT {
  /** The fixture negotiates this older revision, so the header must differ from the front's. */
  private static final String UPSTREAM_VERSION = "2025-06-18";
  private static final String STATIC_KEY = "static-key-7f3a";
  private static final String CLIENT_SECRET = "front-client-secret-91c2";
  /** The static header of the second gateway (L-10 test) sharing the same fixture. */
  private static final String OTHER_GATEWAY_KEY = "other-gateway-key";

  private static ScriptedProcess upstream;
  private static GatewayHarness gw;

  @BeforeAll
  static void start() {
    upstream = ScriptedProcess.startHttp("--name", "h", "--tools", "search", "--protocol", UPSTREAM_VERSION);
    // The test reads the credentials the upstream received through a tool result, which the
    // content guard would redact (docs/content-guards.md): result redaction off here.
    gw = GatewayHarness.start("content:\n  secrets-in-results: allow\nservers:\n  h:\n    url: \"" + upstream.url() + "\"\n"
        + "    headers: {X-Api-Key: \"" + STATIC_KEY + "\"}\n");
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void toolsAreListedAndCalledThroughTheHttpBackend() {
    try (McpSyncClient client = gw.sdkClient()) {
      assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("h_search", "h_headers");
      McpSchema.CallToolResult r = client.callTool(tool("h_search", Map.of("q", "over http")));
      assertThat(json(r).path("server").asString()).isEqualTo("h");
      assertThat(json(r).path("arguments").path("q").asString()).isEqualTo("over http");
      assertThat(r.meta()).containsKey(ScriptedServer.META_KEY);
    }
  }

  @Test
  void eachFrontSessionGetsItsOwnUpstreamSession() {
    try (McpSyncClient one = gw.sdkClient(); McpSyncClient two = gw.sdkClient()) {
      String first = upstreamSessionOf(one);
      String second = upstreamSessionOf(two);
      assertThat(first).isNotBlank();
      assertThat(second).isNotBlank().isNotEqualTo(first);
      assertThat(upstreamSessionOf(one)).as("stable for the life of the front session").isEqualTo(first);
    }
  }

  @Test
  void clientAuthorizationAndFrontSessionIdNeverReachTheUpstream() {
    RawMcp raw = gw.raw();
    Map<String, String> init = RawMcp.std(null);
    init.put("Authorization", "Bearer " + CLIENT_SECRET);
    RawMcp.Reply initReply = raw.post(RawMcp.INIT, init);
    assertThat(initReply.status()).isEqualTo(200);
    String sid = initReply.header("Mcp-Session-Id");
    Map<String, String> headers = RawMcp.std(sid);
    headers.put("Authorization", "Bearer " + CLIENT_SECRET);
    raw.post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", headers);
    JsonNode viaRaw = json(raw.post(callBody(2, "h_headers", "{}"), headers).message());
    assertThat(viaRaw.path("current").has("authorization")).isFalse();

    try (McpSyncClient sdk = sdkClientWithAuthorization("Bearer " + CLIENT_SECRET)) {
      JsonNode seen = json(sdk.callTool(tool("h_headers", Map.of())));
      assertThat(seen.path("current").has("authorization")).isFalse();
      List<String> values = new ArrayList<>();
      for (JsonNode request : seen.path("all")) {
        request.path("headers").forEach(v -> values.add(v.asString()));
      }
      assertThat(values).isNotEmpty().noneMatch(v -> v.contains(CLIENT_SECRET)).noneMatch(v -> v.contains(sid));
    }
  }

  @Test
  void staticHeadersAndTheUpstreamsNegotiatedProtocolVersionAreSentOnEveryRequest() {
    try (McpSyncClient client = gw.sdkClient()) {
      JsonNode seen = json(client.callTool(tool("h_headers", Map.of())));
      String mine = seen.path("current").path("mcp-session-id").asString();
      assertThat(seen.path("current").path("mcp-protocol-version").asString()).isEqualTo(UPSTREAM_VERSION);
      int checked = 0;
      for (JsonNode request : seen.path("all")) {
        JsonNode h = request.path("headers");
        // Every gateway request carries its configuration's static header (initialize included).
        assertThat(h.path("x-api-key").asString()).as("static header on %s", request).isIn(STATIC_KEY, OTHER_GATEWAY_KEY);
        if (mine.equals(h.path("mcp-session-id").asString(""))) {
          assertThat(h.path("x-api-key").asString()).isEqualTo(STATIC_KEY);
          // T-19: the version negotiated with this upstream, not the front's 2025-11-25.
          assertThat(h.path("mcp-protocol-version").asString()).as("version on %s", request).isEqualTo(UPSTREAM_VERSION);
          checked++;
        }
      }
      assertThat(checked).isGreaterThanOrEqualTo(2);
    }
  }

  /** T-17: an upstream 404 makes the gateway initialize a new upstream session, transparently. */
  @Test
  void anExpiredUpstreamSessionIsReinitializedWithoutTheClientNoticing() {
    try (McpSyncClient client = gw.sdkClient()) {
      String before = upstreamSessionOf(client);
      client.callTool(tool("h_expire_session", Map.of()));

      McpSchema.CallToolResult r = client.callTool(tool("h_search", Map.of("q", "after 404")));
      assertThat(r.isError()).isNotEqualTo(Boolean.TRUE);
      assertThat(json(r).path("arguments").path("q").asString()).isEqualTo("after 404");
      JsonNode seen = json(client.callTool(tool("h_headers", Map.of())));
      String after = seen.path("current").path("mcp-session-id").asString();
      assertThat(after).isNotBlank().isNotEqualTo(before);

      // The re-initialize went out without a session id (the expired one must not be resent).
      boolean sawExpiry = false;
      boolean reinitialized = false;
      for (JsonNode request : seen.path("all")) {
        JsonNode h = request.path("headers");
        if (before.equals(h.path("mcp-session-id").asString(""))) {
          sawExpiry = true;
        } else if (sawExpiry && "initialize".equals(request.path("rpc").asString("")) && !h.has("mcp-session-id")) {
          reinitialized = true;
        }
      }
      assertThat(reinitialized).isTrue();
    }
  }

  @Test
  void endingTheFrontSessionDeletesItsUpstreamSession() {
    RawMcp raw = gw.raw();
    String sid = raw.initialize();
    String upstreamSid = json(raw.post(callBody(2, "h_headers", "{}"), sid).message())
        .path("current").path("mcp-session-id").asString();
    assertThat(raw.delete(RawMcp.std(sid)).status()).isBetween(200, 204);
    try (McpSyncClient observer = gw.sdkClient()) {
      await().atMost(10, SECONDS).untilAsserted(() -> {
        JsonNode all = json(observer.callTool(tool("h_headers", Map.of()))).path("all");
        boolean deleted = false;
        for (JsonNode request : all) {
          deleted |= "DELETE".equals(request.path("method").asString(""))
              && upstreamSid.equals(request.path("headers").path("mcp-session-id").asString(""));
        }
        assertThat(deleted).as("DELETE of upstream session %s", upstreamSid).isTrue();
      });
    }
  }

  /** L-10: unreachable upstreams (HTTP and stdio) are left out; the session and the rest work. */
  @Test
  void upstreamsDownAtStartAreOmittedAndTheSessionStillWorks() {
    int closedPort = freePort();
    GatewayHarness partial = GatewayHarness.start("servers:\n"
        + "  h:\n    url: \"" + upstream.url() + "\"\n    headers: {X-Api-Key: \"" + OTHER_GATEWAY_KEY + "\"}\n"
        + "  down:\n    url: \"http://127.0.0.1:" + closedPort + "/mcp\"\n    init-timeout: 2s\n"
        + "  broken:\n    command: [\"/nonexistent/mcp-server-binary\"]\n");
    try (McpSyncClient client = partial.sdkClient()) {
      List<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
      assertThat(names).contains("h_search").noneMatch(n -> n.startsWith("down_") || n.startsWith("broken_"));
      McpSchema.CallToolResult r = client.callTool(tool("h_search", Map.of("q", "partial")));
      assertThat(json(r).path("arguments").path("q").asString()).isEqualTo("partial");
      assertThat(client.ping()).isNotNull();
    } finally {
      partial.close();
    }
  }

  private static String upstreamSessionOf(McpSyncClient client) {
    JsonNode seen = json(client.callTool(tool("h_headers", Map.of())));
    return seen.path("current").path("mcp-session-id").asString("");
  }

  private static McpSyncClient sdkClientWithAuthorization(String authorization) {
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(gw.baseUrl())
        .endpoint(gw.gateway().config().listen().path())
        .addHttpRequestCustomizer((builder, method, uri, body, context) -> builder.header("Authorization", authorization))
        .build();
    McpSyncClient client = McpClient.sync(transport)
        .clientInfo(McpSchema.Implementation.builder("warden-it-auth", "1.0").build())
        .requestTimeout(Duration.ofSeconds(30))
        .build();
    client.initialize();
    return client;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
