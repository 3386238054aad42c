package io.mcpwarden.it;

import static io.mcpwarden.it.support.RawMcp.std;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.RawMcp;
import io.mcpwarden.it.support.RawMcp.Reply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The front transport at the HTTP level (checklist T-02..T-06, T-13, T-18, T-20, T-21, T-23,
 * T-29, L-03, L-09, F-01, F-08, S-11): what the gateway accepts, what it refuses and with which
 * status and JSON-RPC error. Every refusal sits beside a legitimate twin that is served, and after
 * each hostile input a fresh session is still served normally.
 */
@Timeout(60)
class FrontTransportIT {
  static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
  static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static GatewayHarness gw;
  private static RawMcp raw;

  @BeforeAll
  static void start() {
    gw = GatewayHarness.start("""
        limits:
          max-body-bytes: 2048
          max-sse-streams-per-session: 2
        servers:
        """ + GatewayHarness.demoServer("demo"));
    raw = gw.raw();
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  // ------------------------------------------------------------------ initialize (T-13, L-03, L-09)

  @Test
  void initializeAnswers200WithAVisibleAsciiSessionIdAndTheGatewaysOwnServerInfo() {
    Reply r = raw.post(RawMcp.INIT, std(null));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    String sid = r.header("Mcp-Session-Id");
    assertThat(sid).matches("^[\\x21-\\x7E]+$");
    // 128 bits need at least 22 characters even in the densest visible-ASCII encoding (base64).
    assertThat(sid.length()).isGreaterThanOrEqualTo(22);
    JsonNode result = r.json().get("result");
    assertThat(r.json().get("id").asInt()).isEqualTo(1);
    assertThat(result.path("protocolVersion").asString()).isEqualTo("2025-11-25");
    assertThat(result.path("serverInfo").path("name").asString()).isEqualTo("mcp-warden");
    assertThat(result.path("capabilities").has("tools")).isTrue();
    assertThat(result.path("capabilities").has("tasks")).as("tasks are not proxied, so not advertised").isFalse();
  }

  @Test
  void thousandInitializationsGiveThousandDistinctUnpatternedSessionIds() throws IOException {
    Set<String> ids = new HashSet<>();
    String previous = null;
    // One keep-alive socket: fast, and free of java.net.http's pooled-connection race
    // (JDK-8338569/JDK-8357639) that a burst of 2,000 tiny loopback exchanges can hit.
    try (KeepAliveSocket http = new KeepAliveSocket(gw.gateway().port())) {
      for (int i = 0; i < 1000; i++) {
        KeepAliveSocket.Answer r = http.exchange("POST", RawMcp.INIT, std(null));
        assertThat(r.status()).isEqualTo(200);
        String sid = r.headers().get("mcp-session-id");
        assertThat(sid).matches("^[\\x21-\\x7E]{22,}$");
        if (previous != null) {
          // Not sequential: consecutive ids share no long prefix.
          assertThat(commonPrefix(previous, sid)).isLessThan(6);
        }
        ids.add(sid);
        previous = sid;
        assertThat(http.exchange("DELETE", null, Map.of("Mcp-Session-Id", sid)).status()).isEqualTo(204);
      }
    }
    assertThat(ids).hasSize(1000);
  }

  @Test
  void failedInitializeCreatesNoSession() {
    Reply r = raw.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"clientInfo\":{\"name\":\"x\",\"version\":\"1\"}}}", std(null));

    assertThat(r.json().at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(r.json().get("id").asInt()).isEqualTo(1);
    assertThat(r.header("Mcp-Session-Id")).isNull();
  }

  @Test
  void initializeWithoutProtocolVersionHeaderIsServed() {
    Map<String, String> h = std(null);
    h.remove("MCP-Protocol-Version");

    Reply r = raw.post(RawMcp.INIT, h);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Mcp-Session-Id")).isNotBlank();
    assertThat(r.json().at("/result/protocolVersion").asString()).isEqualTo("2025-11-25");
  }

  @Test
  void unknownButWellFormedVersionIsNegotiatedToTheNewestAndAKnownOneIsEchoed() {
    Reply future = raw.post(init("2099-01-01"), std(null));
    assertThat(future.status()).isEqualTo(200);
    assertThat(future.json().at("/result/protocolVersion").asString()).isEqualTo("2025-11-25");

    // Clients such as the Java SDK also send their newest version as header on initialize; the
    // body negotiates, so that header must not turn negotiation into a refusal.
    Map<String, String> newerClient = std(null);
    newerClient.put("MCP-Protocol-Version", "2099-01-01");
    Reply negotiated = raw.post(init("2099-01-01"), newerClient);
    assertThat(negotiated.status()).isEqualTo(200);
    assertThat(negotiated.json().at("/result/protocolVersion").asString()).isEqualTo("2025-11-25");
    Map<String, String> after = std(negotiated.header("Mcp-Session-Id"));
    assertThat(raw.post(TOOLS_LIST, after).status()).isEqualTo(200);
    after.put("MCP-Protocol-Version", "2099-01-01");
    assertThat(raw.post(TOOLS_LIST, after).status()).as("after initialize the header is checked").isEqualTo(400);

    Reply older = raw.post(init("2025-06-18"), std(null));
    assertThat(older.status()).isEqualTo(200);
    assertThat(older.json().at("/result/protocolVersion").asString()).isEqualTo("2025-06-18");
    // The negotiated older version is then used on the session's requests.
    Map<String, String> h = std(older.header("Mcp-Session-Id"));
    h.put("MCP-Protocol-Version", "2025-06-18");
    Reply list = raw.post(TOOLS_LIST, h);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.message().at("/result/tools").isArray()).isTrue();
  }

  // ------------------------------------------------------------------ message shapes (T-02, T-04, T-05, T-23)

  @Test
  void notificationAndResponseAreAnswered202WithAnEmptyBody() {
    String sid = session();

    Reply notification = raw.post(INITIALIZED, sid);
    assertThat(notification.status()).isEqualTo(202);
    assertThat(notification.body()).isEmpty();
    assertThat(notification.header("Content-Length")).isIn(null, "0");

    Reply response = raw.post("{\"jsonrpc\":\"2.0\",\"id\":\"srv-77\",\"result\":{}}", sid);
    assertThat(response.status()).isEqualTo(202);
    assertThat(response.body()).isEmpty();

    Reply errorResponse = raw.post("{\"jsonrpc\":\"2.0\",\"id\":\"srv-78\",\"error\":{\"code\":-1,\"message\":\"no\"}}", sid);
    assertThat(errorResponse.status()).isEqualTo(202);
    assertThat(errorResponse.body()).isEmpty();
  }

  @Test
  void batchIsRefused400WithInvalidRequestWhileTheSameMessageAloneIsServed() {
    String sid = session();

    Reply batch = raw.post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", sid);
    assertThat(batch.status()).isEqualTo(400);
    assertThat(batch.json().at("/error/code").asInt()).isEqualTo(-32600);
    assertThat(batch.json().path("id").isNull() || batch.json().path("id").isMissingNode()).isTrue();

    Reply single = raw.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", sid);
    assertThat(single.status()).isEqualTo(200);
    assertThat(single.message().get("result").isObject()).isTrue();
    assertStillServes();
  }

  @Test
  void malformedJsonIsA400ParseErrorWithoutId() {
    String sid = session();

    Reply r = raw.post("{bad", sid);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.json().at("/error/code").asInt()).isEqualTo(-32700);
    assertThat(r.json().path("id").isNull()).isTrue();
    assertStillServes();
  }

  @Test
  void messageWithNonStringMethodIsRefused400() {
    String sid = session();

    Reply notification = raw.post("{\"jsonrpc\":\"2.0\",\"method\":42}", sid);
    assertThat(notification.status()).isEqualTo(400);
    assertThat(notification.json().at("/error/code").asInt()).isEqualTo(-32600);

    Reply nullId = raw.post("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", sid);
    assertThat(nullId.status()).isEqualTo(400);
    assertThat(nullId.json().at("/error/code").asInt()).isEqualTo(-32600);

    Reply wrongVersion = raw.post("{\"jsonrpc\":\"1.0\",\"id\":5,\"method\":\"ping\"}", sid);
    assertThat(wrongVersion.status()).isEqualTo(400);
    assertThat(wrongVersion.json().at("/error/code").asInt()).isEqualTo(-32600);
    assertStillServes();
  }

  @Test
  void unknownMethodIsMethodNotFoundCarryingTheRequestId() {
    String sid = session();

    Reply r = raw.post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"nope\"}", sid);

    assertThat(r.status()).isEqualTo(200);
    JsonNode msg = r.message();
    assertThat(msg.at("/error/code").asInt()).isEqualTo(-32601);
    assertThat(msg.get("id").isIntegralNumber()).isTrue();
    assertThat(msg.get("id").asInt()).isEqualTo(3);
  }

  @Test
  void toolsCallWithoutNameOrWithAnUnknownToolIsInvalidParamsWhileAKnownToolIsCalled() {
    String sid = session();

    JsonNode noName = raw.post("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"arguments\":{}}}", sid).message();
    assertThat(noName.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(noName.get("id").asInt()).isEqualTo(4);

    JsonNode unknown = raw.post(call(5, "no_such_tool", "{}"), sid).message();
    assertThat(unknown.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(unknown.get("id").asInt()).isEqualTo(5);

    JsonNode echo = raw.post(call(6, "demo_echo", "{\"text\":\"twin\"}"), sid).message();
    assertThat(echo.has("error")).isFalse();
    assertThat(echo.at("/result/content/0/text").asString()).isEqualTo("twin");
  }

  @Test
  void invalidCursorIsInvalidParamsWhileNoCursorListsTheTools() {
    String sid = session();

    JsonNode garbage = raw.post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":{\"cursor\":\"garbage\"}}", sid).message();
    assertThat(garbage.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(garbage.get("id").asInt()).isEqualTo(7);

    JsonNode list = raw.post("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/list\",\"params\":{}}", sid).message();
    List<String> names = new java.util.ArrayList<>();
    list.at("/result/tools").forEach(t -> names.add(t.path("name").asString()));
    assertThat(names).contains("demo_echo", "demo_add");
  }

  @Test
  void pingAnswersAnEmptyResultPreservingAStringId() {
    String sid = session();

    JsonNode pong = raw.post("{\"jsonrpc\":\"2.0\",\"id\":\"123\",\"method\":\"ping\"}", sid).message();

    assertThat(pong.get("id").isString()).isTrue();
    assertThat(pong.get("id").asString()).isEqualTo("123");
    assertThat(pong.get("result").isObject()).isTrue();
    assertThat(pong.get("result").size()).isZero();
    assertThat(pong.path("jsonrpc").asString()).isEqualTo("2.0");
  }

  // ------------------------------------------------------------------ Accept and Content-Type (T-03, T-06)

  @Test
  void acceptOfNeitherJsonNorEventStreamIs406() {
    String sid = session();
    Map<String, String> h = std(sid);
    h.put("Accept", "text/html");

    Reply r = raw.post(TOOLS_LIST, h);

    assertThat(r.status()).isEqualTo(406);
    assertStillServes();
  }

  @Test
  void acceptOfJsonOnlyGetsAJsonBody() {
    String sid = session();
    Map<String, String> h = std(sid);
    h.put("Accept", "application/json");

    Reply r = raw.post(call(9, "demo_add", "{\"a\":2,\"b\":40}"), h);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.json().get("id").asInt()).isEqualTo(9);
    assertThat(r.json().at("/result/structuredContent/sum").asInt()).isEqualTo(42);
  }

  @Test
  void acceptOfEventStreamOnlyGetsAnSseStreamEndingWithTheResponse() {
    String sid = session();
    Map<String, String> h = std(sid);
    h.put("Accept", "text/event-stream");

    Reply r = raw.post(call(10, "demo_echo", "{\"text\":\"sse\"}"), h);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("text/event-stream");
    List<JsonNode> messages = r.sseMessages();
    assertThat(messages).hasSize(1);
    assertThat(messages.getFirst().get("id").asInt()).isEqualTo(10);
    assertThat(messages.getFirst().at("/result/content/0/text").asString()).isEqualTo("sse");
  }

  @Test
  void initializeWithEventStreamOnlyIsAnsweredOnAnSseStream() {
    Map<String, String> h = std(null);
    h.put("Accept", "text/event-stream");

    Reply r = raw.post(RawMcp.INIT, h);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("text/event-stream");
    assertThat(r.header("Mcp-Session-Id")).isNotBlank();
    assertThat(r.message().at("/result/serverInfo/name").asString()).isEqualTo("mcp-warden");
  }

  @Test
  void nonJsonContentTypeIs415WhileJsonWithCharsetIsServed() {
    String sid = session();
    Map<String, String> h = std(sid);
    h.put("Content-Type", "text/plain");
    Reply refused = raw.post(TOOLS_LIST, h);
    assertThat(refused.status()).isEqualTo(415);

    h.put("Content-Type", "application/x-www-form-urlencoded");
    assertThat(raw.post(TOOLS_LIST, h).status()).isEqualTo(415);

    h.put("Content-Type", "application/json; charset=utf-8");
    Reply served = raw.post(TOOLS_LIST, h);
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.message().at("/result/tools").isArray()).isTrue();
    assertStillServes();
  }

  // ------------------------------------------------------------------ protocol version header (T-18)

  @Test
  void unsupportedProtocolVersionHeaderIs400OnEveryMethodWhileAbsentIsServed() {
    String sid = session();
    Map<String, String> bad = std(sid);
    bad.put("MCP-Protocol-Version", "1999-01-01");

    assertThat(raw.post(TOOLS_LIST, bad).status()).isEqualTo(400);
    assertThat(get(bad).status()).isEqualTo(400);
    assertThat(raw.delete(bad).status()).isEqualTo(400);

    Map<String, String> absent = std(sid);
    absent.remove("MCP-Protocol-Version");
    Reply served = raw.post(TOOLS_LIST, absent);
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.message().at("/result/tools").isArray()).isTrue();
    // The bad DELETE did not end the session.
    assertThat(raw.post(TOOLS_LIST, sid).status()).isEqualTo(200);
  }

  // ------------------------------------------------------------------ Origin and Host (T-20, T-21)

  @Test
  void foreignOriginIs403OnPostGetAndDeleteWhileALoopbackOriginIsServed() {
    String sid = session();
    Map<String, String> evil = std(sid);
    evil.put("Origin", "http://evil.example");

    Reply post = raw.post(TOOLS_LIST, evil);
    assertThat(post.status()).isEqualTo(403);
    assertThat(post.json().at("/error/code").isIntegralNumber()).isTrue();
    assertThat(get(evil).status()).isEqualTo(403);
    assertThat(raw.delete(evil).status()).isEqualTo(403);
    Map<String, String> evilInit = std(null);
    evilInit.put("Origin", "http://evil.example");
    assertThat(raw.post(RawMcp.INIT, evilInit).status()).isEqualTo(403);
    for (String lookalike : List.of("null", "http://localhost.evil.example", "http://127.0.0.1.evil.example:" + gw.gateway().port(),
        "file://localhost", "http://evil.example@localhost.evil.example")) {
      Map<String, String> h = std(sid);
      h.put("Origin", lookalike);
      assertThat(raw.post(TOOLS_LIST, h).status()).as("Origin %s", lookalike).isEqualTo(403);
    }

    Map<String, String> local = std(sid);
    local.put("Origin", "http://localhost:" + gw.gateway().port());
    Reply served = raw.post(TOOLS_LIST, local);
    assertThat(served.status()).isEqualTo(200);
    // The refused DELETE did not end the session.
    assertThat(raw.post(TOOLS_LIST, sid).status()).isEqualTo(200);
  }

  @Test
  void foreignHostIs403WhileLocalhostHostIsServed() {
    String evil = rawPost("evil.example.com", "http://evil.example.com", RawMcp.INIT);
    assertThat(statusOf(evil)).isEqualTo(403);
    String evilNoOrigin = rawPost("evil.example.com:" + gw.gateway().port(), null, RawMcp.INIT);
    assertThat(statusOf(evilNoOrigin)).isEqualTo(403);

    String local = rawPost("localhost:" + gw.gateway().port(), null, RawMcp.INIT);
    assertThat(statusOf(local)).isEqualTo(200);
    assertThat(local).containsIgnoringCase("mcp-session-id:");
    String loopback = rawPost("127.0.0.1:" + gw.gateway().port(), "http://127.0.0.1:" + gw.gateway().port(), RawMcp.INIT);
    assertThat(statusOf(loopback)).isEqualTo(200);
    assertStillServes();
  }

  // ------------------------------------------------------------------ limits (S-11)

  @Test
  void bodyOverTheLimitIs413WhetherDeclaredOrChunkedWhileABodyUnderItIsServed() {
    String sid = session();
    String big = call(11, "demo_echo", "{\"text\":\"" + "x".repeat(3000) + "\"}");

    Reply declared = raw.post(big, sid);
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.json().at("/error/code").isIntegralNumber()).isTrue();

    assertThat(postChunked(big, std(sid)).status()).isEqualTo(413);

    String fits = call(12, "demo_echo", "{\"text\":\"" + "y".repeat(1500) + "\"}");
    assertThat(fits.length()).isLessThan(2048);
    Reply served = raw.post(fits, sid);
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.message().at("/result/content/0/text").asString()).hasSize(1500);
    Reply servedChunked = postChunked(fits, std(sid));
    assertThat(servedChunked.status()).isEqualTo(200);
    assertStillServes();
  }

  @Test
  void jsonNestedBeyondTheDepthLimitIsA400ErrorWhileModerateNestingIsServed() {
    String sid = session();
    String deep = call(13, "demo_echo", "{\"text\":\"d\",\"extra\":" + "[".repeat(200) + "]".repeat(200) + "}");

    Reply refused = raw.post(deep, sid);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().at("/error/code").asInt()).isIn(-32600, -32700);

    String moderate = call(14, "demo_echo", "{\"text\":\"d\",\"extra\":" + "[".repeat(10) + "]".repeat(10) + "}");
    Reply served = raw.post(moderate, sid);
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.message().at("/result/content/0/text").asString()).isEqualTo("d");
    assertStillServes();
  }

  @Test
  void hugeHeaderIs431WhileAnOrdinaryCustomHeaderIsServed() {
    String sid = session();
    Map<String, String> huge = std(sid);
    huge.put("X-Padding", "p".repeat(64 * 1024));
    assertThat(raw.post(TOOLS_LIST, huge).status()).isEqualTo(431);

    Map<String, String> ordinary = std(sid);
    ordinary.put("X-Padding", "p".repeat(1024));
    assertThat(raw.post(TOOLS_LIST, ordinary).status()).isEqualTo(200);
    assertStillServes();
  }

  // ------------------------------------------------------------------ helpers

  /** A fresh initialized session, so hostile inputs of one test never touch another's. */
  private static String session() {
    return raw.initialize();
  }

  /** Checks that the gateway still serves a brand-new session end to end. */
  static void assertStillServes(RawMcp client) {
    String sid = client.initialize();
    JsonNode r = client.post(call(99, "demo_echo", "{\"text\":\"still here\"}"), sid).message();
    assertThat(r.at("/result/content/0/text").asString()).isEqualTo("still here");
  }

  private static void assertStillServes() {
    assertStillServes(raw);
  }

  static String init(String version) {
    return RawMcp.INIT.replace("\"2025-11-25\"", "\"" + version + "\"");
  }

  static String call(Object id, String tool, String argumentsJson) {
    String idJson = id instanceof String s ? "\"" + s + "\"" : String.valueOf(id);
    return "{\"jsonrpc\":\"2.0\",\"id\":" + idJson + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
        + "\",\"arguments\":" + argumentsJson + "}}";
  }

  private static int commonPrefix(String a, String b) {
    int n = 0;
    while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
      n++;
    }
    return n;
  }

  /**
   * A GET read fully when it is refused; an SSE stream opened by mistake is closed at once and
   * reported with an empty body, so a test fails on the status instead of hanging.
   */
  static Reply get(Map<String, String> headers) {
    return get(raw.url(), headers);
  }

  static Reply get(java.net.URI url, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20)).GET();
    headers.forEach(b::header);
    try {
      HttpResponse<java.io.InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (java.io.InputStream in = r.body()) {
        boolean sse = r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
        String body = sse ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return new Reply(r.statusCode(), r.headers().map(), body);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Reply postChunked(String body, Map<String, String> headers) {
    // An input-stream publisher has no known length, so the body goes out chunked.
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return send(raw.url(), "POST", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)), headers);
  }

  static Reply send(java.net.URI url, String method, HttpRequest.BodyPublisher body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20)).method(method, body);
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String rawPost(String host, String origin, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String request = "POST /mcp HTTP/1.1\r\n"
        + "Host: " + host + "\r\n"
        + (origin == null ? "" : "Origin: " + origin + "\r\n")
        + "Content-Type: application/json\r\n"
        + "Accept: application/json, text/event-stream\r\n"
        + "Content-Length: " + bytes.length + "\r\n"
        + "Connection: close\r\n\r\n"
        + body;
    return RawMcp.rawRequest(gw.gateway().port(), request);
  }

  private static int statusOf(String rawResponse) {
    // "HTTP/1.1 403 Forbidden"
    return Integer.parseInt(rawResponse.substring(9, 12));
  }

  /** A minimal HTTP/1.1 client on one persistent socket, for bursts of small JSON exchanges. */
  static final class KeepAliveSocket implements AutoCloseable {
    record Answer(int status, Map<String, String> headers, String body) {}

    private final java.net.Socket socket;
    private final java.io.BufferedInputStream in;
    private final int port;

    KeepAliveSocket(int port) throws IOException {
      this.port = port;
      this.socket = new java.net.Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      this.in = new java.io.BufferedInputStream(socket.getInputStream());
    }

    Answer exchange(String method, String body, Map<String, String> headers) throws IOException {
      byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      StringBuilder req = new StringBuilder(method).append(" /mcp HTTP/1.1\r\nHost: 127.0.0.1:").append(port).append("\r\n");
      headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      if (body != null) {
        req.append("Content-Length: ").append(bytes.length).append("\r\n");
      }
      req.append("\r\n");
      socket.getOutputStream().write(req.toString().getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      String statusLine = line();
      Map<String, String> h = new java.util.HashMap<>();
      for (String l = line(); !l.isEmpty(); l = line()) {
        int c = l.indexOf(':');
        h.put(l.substring(0, c).trim().toLowerCase(java.util.Locale.ROOT), l.substring(c + 1).trim());
      }
      int length = Integer.parseInt(h.getOrDefault("content-length", "0"));
      String content = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      return new Answer(Integer.parseInt(statusLine.substring(9, 12)), h, content);
    }

    private String line() throws IOException {
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        if (c != '\r') {
          b.append((char) c);
        }
      }
      if (c == -1 && b.isEmpty()) {
        throw new IOException("connection closed by the gateway");
      }
      return b.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
