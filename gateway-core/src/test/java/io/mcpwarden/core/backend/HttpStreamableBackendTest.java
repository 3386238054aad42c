package io.mcpwarden.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpwarden.core.config.HttpConfig;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.message.JsonRpcException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The Streamable HTTP transport end to end against {@link HttpFakeUpstream} on loopback. */
class HttpStreamableBackendTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private HttpFakeUpstream fake;
  private StreamableHttpBackend backend;
  private final RecordingListener listener = new RecordingListener();

  static final class RecordingListener implements UpstreamListener {
    final List<ObjectNode> messages = new CopyOnWriteArrayList<>();
    final List<String> closed = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(ObjectNode message) {
      messages.add(message);
    }

    @Override
    public void onClosed(String reason) {
      closed.add(reason);
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    fake = new HttpFakeUpstream();
    backend = new StreamableHttpBackend(config(fake.url(), Duration.ofSeconds(2)));
    backend.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    backend.close();
    fake.close();
  }

  private static ServerConfig config(URI url, Duration initTimeout) {
    return new ServerConfig(
        "fake",
        ServerConfig.Transport.HTTP,
        true,
        Duration.ofSeconds(5),
        initTimeout,
        null,
        new HttpConfig(url, Map.of("X-Api-Key", "static-key-1"), Duration.ofSeconds(1), 8));
  }

  private static ObjectNode request(JsonNode id, String method) {
    ObjectNode params = JsonRpc.NODES.objectNode();
    params.put("name", "echo");
    return JsonRpc.request(id, method, params);
  }

  private static ObjectNode toolCall(int id) {
    return request(JsonRpc.NODES.numberNode(id), "tools/call");
  }

  private static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(10);
    }
  }

  private UpstreamSession open() {
    ObjectNode caps = JsonRpc.NODES.objectNode();
    caps.putObject("sampling");
    return backend.open(listener, caps);
  }

  // ------------------------------------------------------------------ handshake and headers

  @Test
  void openInitializesAndSendsInitialized() {
    UpstreamSession session = open();

    assertThat(session.isOpen()).isTrue();
    assertThat(session.protocolVersion()).isEqualTo("2025-11-25");
    assertThat(session.initializeResult().path("serverInfo").path("name").asString()).isEqualTo("fake");
    HttpFakeUpstream.Received init = fake.withRpcMethod("initialize").getFirst();
    assertThat(init.body().path("params").path("capabilities").has("sampling")).as("front capabilities mirrored").isTrue();
    assertThat(init.body().path("params").path("clientInfo").path("name").asString()).isEqualTo(UpstreamHello.CLIENT_NAME);
    assertThat(init.header("MCP-Protocol-Version")).as("no version header on initialize").isNull();
    assertThat(init.header("Mcp-Session-Id")).isNull();
    HttpFakeUpstream.Received initialized = fake.withRpcMethod("notifications/initialized").getFirst();
    assertThat(initialized.header("Mcp-Session-Id")).isEqualTo("sess-1");
    assertThat(initialized.header("MCP-Protocol-Version")).isEqualTo("2025-11-25");
  }

  @Test
  void everyRequestCarriesProtocolHeadersAndStaticHeadersButNoAuthorization() {
    fake.version = "2025-06-18";
    UpstreamSession session = open();
    session.call(toolCall(1), RelatedSink.NONE).await(WAIT);
    session.notify(JsonRpc.notification("notifications/roots/list_changed", null));

    assertThat(session.protocolVersion()).isEqualTo("2025-06-18");
    HttpFakeUpstream.Received call = fake.withRpcMethod("tools/call").getFirst();
    assertThat(call.header("MCP-Protocol-Version")).as("version negotiated with this upstream (T-19)").isEqualTo("2025-06-18");
    assertThat(call.header("Mcp-Session-Id")).isEqualTo("sess-1");
    assertThat(call.header("Content-Type")).startsWith("application/json");
    assertThat(call.header("Accept")).contains("application/json").contains("text/event-stream");
    assertThat(fake.withRpcMethod("notifications/roots/list_changed").getFirst().header("Mcp-Session-Id")).isEqualTo("sess-1");
    for (HttpFakeUpstream.Received r : fake.received) {
      assertThat(r.header("X-Api-Key")).isEqualTo("static-key-1");
      assertThat(r.header("Authorization")).isNull();
      assertThat(r.header("Cookie")).isNull();
    }
  }

  @Test
  void cookiesAnUpstreamSetsAreNeverSentBackSoSessionsShareNothing() {
    // Attack: the upstream sets a cookie in one user's session; a shared cookie jar would send it
    // on every other user's requests to that backend.
    fake.onRequest.put("tools/call", (r, reply) -> {
      reply.header("Set-Cookie", "sid=user-a-secret; Path=/");
      ObjectNode result = JsonRpc.NODES.objectNode();
      result.putArray("content").addObject().put("type", "text").put("text", "ok");
      reply.json(JsonRpc.result(r.rpcId(), result));
    });
    UpstreamSession a = open();
    a.call(toolCall(1), RelatedSink.NONE).await(WAIT);
    UpstreamSession b = backend.open(listener, JsonRpc.NODES.objectNode());
    b.call(toolCall(2), RelatedSink.NONE).await(WAIT);
    a.call(toolCall(3), RelatedSink.NONE).await(WAIT);

    // Legitimate twin: every call still reached the upstream and was answered.
    assertThat(fake.withRpcMethod("tools/call")).hasSize(3);
    assertThat(fake.received).allSatisfy(r -> assertThat(r.header("Cookie")).isNull());
  }

  @Test
  void eachOpenGetsItsOwnUpstreamSession() {
    UpstreamSession a = open();
    UpstreamSession b = backend.open(listener, JsonRpc.NODES.objectNode());
    a.call(toolCall(1), RelatedSink.NONE).await(WAIT);
    b.call(toolCall(1), RelatedSink.NONE).await(WAIT);

    assertThat(fake.withRpcMethod("initialize")).hasSize(2);
    assertThat(fake.withRpcMethod("tools/call")).extracting(r -> r.header("Mcp-Session-Id")).containsExactlyInAnyOrder("sess-1", "sess-2");
    assertThat(backend.openSessions()).isEqualTo(2);
  }

  @Test
  void unsupportedVersionIsRefused() {
    fake.version = "2024-11-05";
    assertThatThrownBy(this::open).isInstanceOf(BackendException.class).hasMessageContaining("fake").hasMessageContaining("2024-11-05");
    assertThat(backend.openSessions()).isZero();
    assertThat(fake.withHttpMethod("DELETE")).as("the half-made upstream session is ended").hasSize(1);
  }

  @Test
  void initializeTimeoutFailsOpenQuickly() throws Exception {
    fake.initializeDelayMillis = 700;
    try (StreamableHttpBackend slow = new StreamableHttpBackend(config(fake.url(), Duration.ofMillis(300)))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> slow.open(listener, null)).isInstanceOf(BackendException.class).hasMessageContaining("initialize");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }

  // ------------------------------------------------------------------ replies and ids

  @Test
  void jsonReplyRestoresIntegerId() {
    UpstreamSession session = open();

    ObjectNode response = session.call(toolCall(42), RelatedSink.NONE).await(WAIT);

    assertThat(response.get("id").isIntegralNumber()).isTrue();
    assertThat(response.get("id").asInt()).isEqualTo(42);
    assertThat(response.path("result").path("content").get(0).path("text").asString()).isEqualTo("ok");
    JsonNode upstreamId = fake.withRpcMethod("tools/call").getFirst().rpcId();
    assertThat(upstreamId.isIntegralNumber()).isTrue();
  }

  @Test
  void jsonReplyRestoresStringIdAndUpstreamIdsAreUnique() {
    UpstreamSession session = open();

    ObjectNode first = session.call(request(JsonRpc.NODES.stringNode("abc"), "tools/call"), RelatedSink.NONE).await(WAIT);
    ObjectNode second = session.call(request(JsonRpc.NODES.stringNode("abc"), "tools/call"), RelatedSink.NONE).await(WAIT);

    assertThat(first.get("id").isString()).isTrue();
    assertThat(first.get("id").asString()).isEqualTo("abc");
    assertThat(second.get("id").asString()).isEqualTo("abc");
    List<JsonNode> ids = fake.received.stream().map(HttpFakeUpstream.Received::rpcId).filter(java.util.Objects::nonNull).toList();
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(ids).allMatch(JsonNode::isIntegralNumber);
  }

  @Test
  void sseReplyDeliversRelatedMessagesBeforeTheResponse() {
    fake.onRequest.put(
        "tools/call",
        (r, reply) -> {
          ObjectNode progress = JsonRpc.NODES.objectNode();
          progress.put("progressToken", "p1").put("progress", 50).put("total", 100);
          ObjectNode elicit = JsonRpc.NODES.objectNode().put("message", "sure?");
          reply.sse()
              .raw(": keep-alive\n\n")
              .event("e1", JsonRpc.notification("notifications/progress", progress))
              .event("e2", JsonRpc.request(JsonRpc.NODES.numberNode(900), "elicitation/create", elicit))
              .event("e3", JsonRpc.result(r.rpcId(), JsonRpc.NODES.objectNode().put("done", true)));
        });
    UpstreamSession session = open();
    List<String> order = new CopyOnWriteArrayList<>();
    ObjectNode req = toolCall(7);
    ((ObjectNode) req.get("params")).putObject("_meta").put("progressToken", "p1");

    UpstreamCall call = session.call(req, m -> order.add(m.path("method").asString()));
    ObjectNode response = call.await(WAIT);
    order.add("response");

    assertThat(order).containsExactly("notifications/progress", "elicitation/create", "response");
    assertThat(response.get("id").asInt()).isEqualTo(7);
    assertThat(response.path("result").path("done").asBoolean()).isTrue();
    assertThat(listener.messages).isEmpty();
  }

  @Test
  void jsonRpcErrorFromUpstreamIsAResponseNotAFailure() {
    fake.onRequest.put(
        "tools/call", (r, reply) -> reply.json(JsonRpc.error(r.rpcId(), JsonRpc.INVALID_PARAMS, "bad arguments")));
    UpstreamSession session = open();

    ObjectNode response = session.call(toolCall(3), RelatedSink.NONE).await(WAIT);

    assertThat(JsonRpc.errorCode(response)).isEqualTo(JsonRpc.INVALID_PARAMS);
    assertThat(response.get("id").asInt()).isEqualTo(3);
  }

  @Test
  void jsonRpcErrorWithHttp400PassesThrough() {
    fake.onRequest.put(
        "tools/call",
        (r, reply) -> reply.json(400, HttpFakeUpstream.CODEC.writeString(JsonRpc.error(r.rpcId(), JsonRpc.INVALID_REQUEST, "nope"))));
    UpstreamSession session = open();

    ObjectNode response = session.call(toolCall(4), RelatedSink.NONE).await(WAIT);

    assertThat(JsonRpc.errorCode(response)).isEqualTo(JsonRpc.INVALID_REQUEST);
    assertThat(response.get("id").asInt()).isEqualTo(4);
  }

  @Test
  void httpErrorFailsTheCallNamingServerAndStatus() {
    fake.onRequest.put("tools/call", (r, reply) -> reply.status(500));
    UpstreamSession session = open();

    UpstreamCall call = session.call(toolCall(5), RelatedSink.NONE);

    assertThatThrownBy(() -> call.await(WAIT))
        .isInstanceOf(JsonRpcException.class)
        .hasMessageContaining("fake")
        .hasMessageContaining("500")
        .satisfies(e -> assertThat(((JsonRpcException) e).code()).isEqualTo(JsonRpc.UPSTREAM_UNAVAILABLE));
    assertThat(session.isOpen()).isTrue();
  }

  @Test
  void jsonReplyInChunksWithoutALengthIsReassembled() {
    // Read on the client's threads chunk by chunk: a body with no Content-Length that outgrows the
    // first buffer, flushed in pieces, must come out whole.
    String text = "y".repeat(5000);
    fake.onRequest.put("tools/call", (r, reply) -> {
      String body = "{\"jsonrpc\":\"2.0\",\"id\":" + r.rpcId() + ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}]}}";
      reply.sse();
      reply.header("Content-Type", "application/json");
      for (int i = 0; i < body.length(); i += 700) {
        reply.raw(body.substring(i, Math.min(body.length(), i + 700)));
      }
      reply.finish();
    });
    UpstreamSession session = open();

    ObjectNode response = session.call(toolCall(7), RelatedSink.NONE).await(WAIT);

    assertThat(response.get("id").asInt()).isEqualTo(7);
    assertThat(response.path("result").path("content").get(0).path("text").asString()).isEqualTo(text);
  }

  @Test
  void oversizeJsonBodyFailsTheCallWithoutBeingBuffered() {
    String huge = "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"blob\":\"" + "x".repeat(HttpUpstreamClient.MAX_BODY_BYTES) + "\"}}";
    fake.onRequest.put("tools/call", (r, reply) -> reply.json(200, huge));
    UpstreamSession session = open();

    UpstreamCall call = session.call(toolCall(2), RelatedSink.NONE);

    assertThatThrownBy(() -> call.await(WAIT))
        .isInstanceOf(JsonRpcException.class)
        .hasMessageContaining("exceeds")
        .satisfies(e -> assertThat(((JsonRpcException) e).code()).isEqualTo(JsonRpc.INTERNAL_ERROR));
  }

  @Test
  void oversizeSseEventFailsTheCall() {
    fake.onRequest.put(
        "tools/call", (r, reply) -> reply.sse().raw("data: " + "y".repeat(SseParser.MAX_EVENT_BYTES + 10) + "\n\n"));
    UpstreamSession session = open();

    UpstreamCall call = session.call(toolCall(2), RelatedSink.NONE);

    assertThatThrownBy(() -> call.await(WAIT)).isInstanceOf(JsonRpcException.class).hasMessageContaining("larger than");
  }

  @Test
  void sseStreamEndingWithoutResponseOrIdFailsTheCall() {
    fake.onRequest.put("tools/call", (r, reply) -> reply.sse().raw("data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{}}\n\n"));
    UpstreamSession session = open();

    UpstreamCall call = session.call(toolCall(6), RelatedSink.NONE);

    assertThatThrownBy(() -> call.await(WAIT))
        .isInstanceOf(JsonRpcException.class)
        .satisfies(e -> assertThat(((JsonRpcException) e).code()).isEqualTo(JsonRpc.INTERNAL_ERROR));
  }

  @Test
  void cutStreamIsResumedWithGetAndLastEventId() {
    fake.onRequest.put(
        "tools/call",
        (r, reply) -> {
          ObjectNode progress = JsonRpc.NODES.objectNode().put("progressToken", 1).put("progress", 1);
          reply.sse().raw("retry: 20\n\n").event("call-1", JsonRpc.notification("notifications/progress", progress));
          // ...and the stream ends before the response.
        });
    fake.onGet =
        (r, reply) -> {
          if ("call-1".equals(r.header("Last-Event-ID"))) {
            long upstreamId = fake.withRpcMethod("tools/call").getFirst().rpcId().asLong();
            reply.sse().event("call-2", JsonRpc.result(JsonRpc.NODES.numberNode(upstreamId), JsonRpc.NODES.objectNode().put("resumed", true)));
          } else {
            reply.status(405);
          }
        };
    UpstreamSession session = open();
    List<ObjectNode> related = new CopyOnWriteArrayList<>();

    ObjectNode response = session.call(toolCall(8), related::add).await(WAIT);

    assertThat(response.path("result").path("resumed").asBoolean()).isTrue();
    assertThat(response.get("id").asInt()).isEqualTo(8);
    assertThat(related).hasSize(1);
  }

  // ------------------------------------------------------------------ session expiry

  @Test
  void upstream404ReinitializesWithoutSessionIdAndRetries() {
    UpstreamSession session = open();
    fake.liveSessions.clear(); // the upstream forgets the session

    ObjectNode response = session.call(toolCall(9), RelatedSink.NONE).await(WAIT);

    assertThat(response.get("id").asInt()).isEqualTo(9);
    List<HttpFakeUpstream.Received> inits = fake.withRpcMethod("initialize");
    assertThat(inits).hasSize(2);
    assertThat(inits.get(1).header("Mcp-Session-Id")).isNull();
    List<HttpFakeUpstream.Received> calls = fake.withRpcMethod("tools/call");
    assertThat(calls).extracting(r -> r.header("Mcp-Session-Id")).containsExactly("sess-1", "sess-2");
    assertThat(session.isOpen()).isTrue();
    assertThat(listener.closed).isEmpty();
  }

  @Test
  void failedReinitializeClosesTheSessionAndTellsTheListener() throws Exception {
    UpstreamSession session = open();
    fake.liveSessions.clear();
    fake.initializeStatus = 503;

    UpstreamCall call = session.call(toolCall(10), RelatedSink.NONE);

    assertThatThrownBy(() -> call.await(WAIT)).isInstanceOf(JsonRpcException.class).hasMessageContaining("fake");
    assertThat(session.isOpen()).isFalse();
    eventually(() -> listener.closed.size() == 1);
    assertThat(listener.closed.getFirst()).contains("re-initialized");
    assertThat(backend.openSessions()).isZero();
    assertThatThrownBy(() -> session.call(toolCall(11), RelatedSink.NONE).await(WAIT)).isInstanceOf(JsonRpcException.class);
  }

  // ------------------------------------------------------------------ cancel and close

  @Test
  void cancelPostsCancelledWithUpstreamIdAndSuppressesLateResponse() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    fake.onRequest.put(
        "tools/call",
        (r, reply) -> {
          reply.sse().raw("id: slow-0\ndata:\n\n");
          release.await(5, TimeUnit.SECONDS);
          reply.event("slow-1", JsonRpc.result(r.rpcId(), JsonRpc.NODES.objectNode()));
        });
    UpstreamSession session = open();
    try {
      UpstreamCall call = session.call(toolCall(12), RelatedSink.NONE);
      eventually(() -> !fake.withRpcMethod("tools/call").isEmpty());
      long upstreamId = fake.withRpcMethod("tools/call").getFirst().rpcId().asLong();

      call.cancel("user pressed stop");

      assertThat(call.response()).isCompletedExceptionally();
      eventually(() -> !fake.withRpcMethod("notifications/cancelled").isEmpty());
      ObjectNode params = (ObjectNode) fake.withRpcMethod("notifications/cancelled").getFirst().body().get("params");
      assertThat(params.get("requestId").asLong()).isEqualTo(upstreamId);
      assertThat(params.get("reason").asString()).isEqualTo("user pressed stop");
      assertThatThrownBy(() -> call.await(WAIT)).isInstanceOf(CallCancelledException.class).hasMessageContaining("cancelled");
    } finally {
      release.countDown();
    }
  }

  @Test
  void awaitTimeoutCancelsUpstream() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    fake.onRequest.put(
        "tools/call",
        (r, reply) -> {
          reply.sse().raw(": working\n\n");
          release.await(5, TimeUnit.SECONDS);
        });
    UpstreamSession session = open();
    try {
      UpstreamCall call = session.call(toolCall(13), RelatedSink.NONE);
      assertThatThrownBy(() -> call.await(Duration.ofMillis(200)))
          .isInstanceOf(JsonRpcException.class)
          .satisfies(e -> assertThat(((JsonRpcException) e).code()).isEqualTo(JsonRpc.UPSTREAM_UNAVAILABLE));
      eventually(() -> !fake.withRpcMethod("notifications/cancelled").isEmpty());
    } finally {
      release.countDown();
    }
  }

  @Test
  void closeSendsDeleteWithSessionIdAndFailsCallsInFlight() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    fake.onRequest.put(
        "tools/call",
        (r, reply) -> {
          reply.sse().raw(": working\n\n");
          release.await(5, TimeUnit.SECONDS);
        });
    UpstreamSession session = open();
    try {
      UpstreamCall inFlight = session.call(toolCall(14), RelatedSink.NONE);
      eventually(() -> !fake.withRpcMethod("tools/call").isEmpty());

      session.close();

      List<HttpFakeUpstream.Received> deletes = fake.withHttpMethod("DELETE");
      assertThat(deletes).hasSize(1);
      assertThat(deletes.getFirst().header("Mcp-Session-Id")).isEqualTo("sess-1");
      assertThat(deletes.getFirst().header("Authorization")).isNull();
      assertThat(session.isOpen()).isFalse();
      assertThatThrownBy(() -> inFlight.await(WAIT)).isInstanceOf(JsonRpcException.class);
      assertThat(listener.closed).as("an owner's close is not news to the owner").isEmpty();
      assertThat(backend.openSessions()).isZero();
    } finally {
      release.countDown();
    }
  }

  @Test
  void backendCloseEndsSessionsAndTellsListeners() {
    open();
    open();

    backend.close();

    assertThat(fake.withHttpMethod("DELETE")).extracting(r -> r.header("Mcp-Session-Id")).containsExactlyInAnyOrder("sess-1", "sess-2");
    assertThat(listener.closed).hasSize(2);
    assertThatThrownBy(this::open).isInstanceOf(BackendException.class);
  }

  // ------------------------------------------------------------------ upstream down

  @Test
  void upstreamDownFailsOpenFast() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (StreamableHttpBackend down = new StreamableHttpBackend(config(URI.create("http://127.0.0.1:" + port + "/mcp"), Duration.ofSeconds(2)))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> down.open(listener, null))
          .isInstanceOf(BackendException.class)
          .hasMessageContaining("fake")
          .satisfies(e -> assertThat(((JsonRpcException) e).code()).isEqualTo(JsonRpc.UPSTREAM_UNAVAILABLE));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void upstreamGoingDownFailsCallsInsteadOfHanging() throws Exception {
    UpstreamSession session = open();
    fake.stop();

    UpstreamCall call = session.call(toolCall(15), RelatedSink.NONE);

    long start = System.nanoTime();
    assertThatThrownBy(() -> call.await(WAIT))
        .isInstanceOf(JsonRpcException.class)
        .hasMessageContaining("fake")
        .satisfies(e -> assertThat(((JsonRpcException) e).code()).isEqualTo(JsonRpc.UPSTREAM_UNAVAILABLE));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  // ------------------------------------------------------------------ standalone stream

  @Test
  void standaloneStreamDeliversUnrelatedMessagesAndReconnectsWithLastEventId() throws Exception {
    fake.onGet =
        (r, reply) -> {
          String last = r.header("Last-Event-ID");
          if (last == null) {
            reply.sse().raw("retry: 10\n\n").event("g1", JsonRpc.notification("notifications/tools/list_changed", null));
          } else if ("g1".equals(last)) {
            reply.sse().event("g2", JsonRpc.notification("notifications/resources/list_changed", null));
          } else {
            reply.status(405);
          }
        };
    UpstreamSession session = open();

    eventually(() -> listener.messages.size() >= 2);

    assertThat(listener.messages)
        .extracting(m -> m.path("method").asString())
        .containsExactly("notifications/tools/list_changed", "notifications/resources/list_changed");
    List<HttpFakeUpstream.Received> gets = fake.withHttpMethod("GET");
    assertThat(gets.getFirst().header("Accept")).isEqualTo("text/event-stream");
    assertThat(gets.getFirst().header("Mcp-Session-Id")).isEqualTo("sess-1");
    assertThat(gets.getFirst().header("MCP-Protocol-Version")).isEqualTo("2025-11-25");
    assertThat(gets.get(1).header("Last-Event-ID")).isEqualTo("g1");
    assertThat(session.isOpen()).isTrue();
  }

  @Test
  void standaloneStreamAnswersPingsItself() throws Exception {
    fake.onGet =
        (r, reply) -> {
          if (r.header("Last-Event-ID") == null) {
            reply.sse().event("p1", JsonRpc.request(JsonRpc.NODES.stringNode("ping-1"), "ping", null));
          } else {
            reply.status(405);
          }
        };
    open();

    eventually(() -> fake.received.stream().anyMatch(r -> r.body() != null && r.body().has("result")));

    HttpFakeUpstream.Received pong = fake.received.stream().filter(r -> r.body() != null && r.body().has("result")).findFirst().orElseThrow();
    assertThat(pong.rpcId().asString()).isEqualTo("ping-1");
    assertThat(listener.messages).isEmpty();
  }

  @Test
  void serverWithoutStandaloneStreamIsLeftAlone() throws Exception {
    UpstreamSession session = open();
    eventually(() -> !fake.withHttpMethod("GET").isEmpty());
    Thread.sleep(100);

    assertThat(fake.withHttpMethod("GET")).hasSize(1);
    assertThat(session.isOpen()).isTrue();
  }

  @Test
  void respondPostsTheResponseWithTheUpstreamId() {
    UpstreamSession session = open();

    session.respond(JsonRpc.result(JsonRpc.NODES.numberNode(900), JsonRpc.NODES.objectNode().put("action", "accept")));

    HttpFakeUpstream.Received r = fake.received.stream().filter(x -> x.body() != null && x.body().has("result")).findFirst().orElseThrow();
    assertThat(r.rpcId().asInt()).isEqualTo(900);
    assertThat(r.header("Mcp-Session-Id")).isEqualTo("sess-1");
  }

  @Test
  void statelessUpstreamWithoutSessionIdWorks() {
    fake.assignSessions = false;
    UpstreamSession session = open();

    ObjectNode response = session.call(toolCall(16), RelatedSink.NONE).await(WAIT);
    session.close();

    assertThat(response.get("id").asInt()).isEqualTo(16);
    assertThat(fake.withRpcMethod("tools/call").getFirst().header("Mcp-Session-Id")).isNull();
    assertThat(fake.withHttpMethod("DELETE")).isEmpty();
  }
}
