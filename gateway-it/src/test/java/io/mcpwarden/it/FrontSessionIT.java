package io.mcpwarden.it;

import static io.mcpwarden.it.FrontTransportIT.TOOLS_LIST;
import static io.mcpwarden.it.FrontTransportIT.call;
import static io.mcpwarden.it.support.RawMcp.std;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.RawMcp;
import io.mcpwarden.it.support.RawMcp.Reply;
import io.mcpwarden.it.support.RawMcp.SseEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Front sessions and their streams (checklist T-01, T-08, T-14..T-16, T-33, L-01) and the audit
 * trail of front traffic: session ids are required, unknown or ended ones are 404 on every method,
 * GET streams open with a priming event, are bounded per session and end with the session.
 */
@Timeout(60)
class FrontSessionIT {
  private static final MutableClock CLOCK = new MutableClock();
  private static GatewayHarness gw;
  private static RawMcp raw;

  @BeforeAll
  static void start() {
    gw = GatewayHarness.start("""
        limits:
          max-sse-streams-per-session: 2
        sessions:
          idle-timeout: 30m
        servers:
        """ + GatewayHarness.demoServer("demo"), CLOCK, c -> c);
    raw = gw.raw();
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  // ------------------------------------------------------------------ session ids (T-14, T-15, T-16, L-01)

  @Test
  void missingSessionIdIs400OnPostGetAndDeleteWhileTheSameRequestWithItIsServed() {
    Reply post = raw.post(TOOLS_LIST, std(null));
    assertThat(post.status()).isEqualTo(400);
    assertThat(post.json().at("/error/code").isIntegralNumber()).isTrue();
    assertThat(get(sse(null)).status()).isEqualTo(400);
    assertThat(raw.delete(Map.of()).status()).isEqualTo(400);

    String sid = raw.initialize();
    Reply served = raw.post(TOOLS_LIST, sid);
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.message().at("/result/tools").isArray()).isTrue();
  }

  @Test
  void unknownSessionIdIs404OnPostGetAndDelete() {
    for (String unknown : List.of("doesnotexist", "A".repeat(43))) {
      Reply post = raw.post(TOOLS_LIST, std(unknown));
      assertThat(post.status()).as("POST with %s", unknown).isEqualTo(404);
      assertThat(post.json().at("/error/code").isIntegralNumber()).isTrue();
      assertThat(raw.post(FrontTransportIT.INITIALIZED, std(unknown)).status()).isEqualTo(404);
      assertThat(get(sse(unknown)).status()).as("GET with %s", unknown).isEqualTo(404);
      assertThat(raw.delete(Map.of("Mcp-Session-Id", unknown)).status()).as("DELETE with %s", unknown).isEqualTo(404);
    }
    FrontTransportIT.assertStillServes(raw);
  }

  @Test
  void deleteEndsTheSessionAndEveryLaterUseOfItsIdIs404() {
    String sid = raw.initialize();
    String other = raw.initialize();

    Reply deleted = raw.delete(Map.of("Mcp-Session-Id", sid));
    assertThat(deleted.status()).isBetween(200, 299);

    assertThat(raw.post(TOOLS_LIST, sid).status()).isEqualTo(404);
    assertThat(raw.post(FrontTransportIT.INITIALIZED, sid).status()).isEqualTo(404);
    assertThat(get(sse(sid)).status()).isEqualTo(404);
    assertThat(raw.delete(Map.of("Mcp-Session-Id", sid)).status()).isEqualTo(404);
    // Only that session ended.
    assertThat(raw.post(TOOLS_LIST, other).status()).isEqualTo(200);
  }

  @Test
  void aSessionIdleBeyondItsTimeoutIs404OnEveryMethodWhileOneInUseLivesOn() {
    String idle = raw.initialize();
    String busy = raw.initialize();

    CLOCK.advance(Duration.ofMinutes(20));
    assertThat(raw.post(TOOLS_LIST, busy).status()).isEqualTo(200);
    CLOCK.advance(Duration.ofMinutes(20));
    // 40 minutes old, but used 20 minutes ago: alive. Unused for 40 minutes: gone.
    assertThat(raw.post(TOOLS_LIST, busy).status()).isEqualTo(200);
    assertThat(raw.post(TOOLS_LIST, idle).status()).isEqualTo(404);
    assertThat(get(sse(idle)).status()).isEqualTo(404);
    assertThat(raw.delete(Map.of("Mcp-Session-Id", idle)).status()).isEqualTo(404);

    CLOCK.advance(Duration.ofMinutes(31));
    assertThat(raw.post(TOOLS_LIST, busy).status()).isEqualTo(404);
    assertThat(get(sse(busy)).status()).isEqualTo(404);
    FrontTransportIT.assertStillServes(raw);
  }

  // ------------------------------------------------------------------ GET streams (T-01, T-08)

  @Test
  void getOpensAnEventStreamWithAPrimingEventThatEndsWhenTheSessionIsDeleted() throws Exception {
    String sid = raw.initialize();

    try (RawMcp.SseStream get = raw.openGet(sse(sid))) {
      assertThat(get.status()).isEqualTo(200);
      assertThat(get.header("Content-Type")).startsWith("text/event-stream");
      SseEvent priming = get.next();
      assertThat(priming.id()).isNotBlank();
      assertThat(priming.data()).isEmpty();

      CompletableFuture<SseEvent> after = CompletableFuture.supplyAsync(get::next, Thread::startVirtualThread);
      assertThat(raw.delete(Map.of("Mcp-Session-Id", sid)).status()).isBetween(200, 299);
      // The stream ends with the session, at once (not after the 15 s keep-alive): no event, EOF.
      assertThat(after.get(5, TimeUnit.SECONDS)).isNull();
    }
  }

  @Test
  void getWithoutEventStreamInAcceptIs406WhileWithItTheStreamOpens() {
    String sid = raw.initialize();
    Map<String, String> json = sse(sid);
    json.put("Accept", "application/json");
    assertThat(get(json).status()).isEqualTo(406);

    try (RawMcp.SseStream get = raw.openGet(sse(sid))) {
      assertThat(get.status()).isEqualTo(200);
      raw.delete(Map.of("Mcp-Session-Id", sid));
    }
  }

  @Test
  void getStreamsBeyondTheSessionLimitAre429WhileAnotherSessionStillOpensOne() {
    String sid = raw.initialize();
    String other = raw.initialize();
    try (RawMcp.SseStream first = raw.openGet(sse(sid)); RawMcp.SseStream second = raw.openGet(sse(sid))) {
      assertThat(first.status()).isEqualTo(200);
      assertThat(second.status()).isEqualTo(200);
      // Both are live once their priming events arrived.
      assertThat(first.next()).isNotNull();
      assertThat(second.next()).isNotNull();

      Reply third = get(sse(sid));
      assertThat(third.status()).isEqualTo(429);
      assertThat(third.header("Retry-After")).isNotBlank();

      try (RawMcp.SseStream elsewhere = raw.openGet(sse(other))) {
        assertThat(elsewhere.status()).isEqualTo(200);
        raw.delete(Map.of("Mcp-Session-Id", other));
        assertThat(elsewhere.nextMessage()).isNull();
      }
      // The limited session still serves requests.
      assertThat(raw.post(TOOLS_LIST, sid).status()).isEqualTo(200);
      raw.delete(Map.of("Mcp-Session-Id", sid));
      assertThat(first.nextMessage()).isNull();
      assertThat(second.nextMessage()).isNull();
    }
    FrontTransportIT.assertStillServes(raw);
  }

  // ------------------------------------------------------------------ SSE on POST (T-06, T-08, T-33)

  @Test
  void threeConcurrentSsePostsInOneSessionAllComplete() throws Exception {
    String sid = raw.initialize();
    Map<String, String> h = std(sid);
    h.put("Accept", "text/event-stream, application/json");

    List<CompletableFuture<List<SseEvent>>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String body = call("c" + i, "demo_echo", "{\"text\":\"call " + i + "\"}");
      calls.add(CompletableFuture.supplyAsync(() -> readAll(raw.openPost(body, h)), Thread::startVirtualThread));
    }
    for (int i = 0; i < 3; i++) {
      List<SseEvent> events = calls.get(i).get(20, TimeUnit.SECONDS);
      // Priming first (an id, empty data), the response last, then the end of the stream.
      assertThat(events.getFirst().id()).isNotBlank();
      assertThat(events.getFirst().data()).isEmpty();
      JsonNode response = RawMcp.JSON.readTree(events.getLast().data());
      assertThat(response.get("id").asString()).isEqualTo("c" + i);
      assertThat(response.at("/result/content/0/text").asString()).isEqualTo("call " + i);
    }
  }

  // ------------------------------------------------------------------ audit

  @Test
  void auditHasOneEventPerRequestAndEdgeRefusalsAsHttpReject() {
    String sid = raw.initialize();
    raw.post(TOOLS_LIST, sid);
    raw.post(call(3, "demo_echo", "{\"text\":\"audited\"}"), sid);
    raw.post(call(4, "no_such_tool", "{}"), sid);
    raw.post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"nope\"}", sid);
    String probe = "audit/probe-" + UUID.randomUUID();
    assertThat(raw.post("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"" + probe + "\"}", std("unknown-" + probe)).status()).isEqualTo(404);
    assertThat(raw.post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + probe + "-nosession\"}", std(null)).status()).isEqualTo(400);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<JsonNode> requests = gw.auditEvents(Map.of("session", sid, "type", "mcp.request"));
      assertThat(requests).extracting(e -> e.path("method").asString()).containsExactly("tools/list", "tools/call", "tools/call", "nope");
      assertThat(gw.auditEvents(Map.of("method", probe))).hasSize(1);
      assertThat(gw.auditEvents(Map.of("method", probe + "-nosession"))).hasSize(1);
    });
    List<JsonNode> requests = gw.auditEvents(Map.of("session", sid, "type", "mcp.request"));
    for (JsonNode e : requests) {
      assertThat(e.path("subject").asString()).isNotBlank();
      assertThat(e.path("status").asInt()).isEqualTo(200);
      assertThat(e.path("latency_us").isIntegralNumber()).isTrue();
      assertThat(e.path("latency_us").asLong()).isGreaterThanOrEqualTo(0);
      assertThat(e.path("time").asString()).isNotBlank();
    }
    assertThat(requests).extracting(e -> e.path("decision").asString()).containsExactly("allow", "allow", "deny", "deny");
    assertThat(requests.get(1).path("server").asString()).isEqualTo("demo");
    assertThat(requests.get(1).path("target").asString()).isEqualTo("echo");
    assertThat(requests.get(2).path("code").asInt()).isEqualTo(-32602);
    assertThat(requests.get(3).path("code").asInt()).isEqualTo(-32601);
    assertThat(gw.auditEvents(Map.of("session", sid, "type", "session.start"))).hasSize(1);

    JsonNode unknown = gw.auditEvents(Map.of("method", probe)).getFirst();
    assertThat(unknown.path("type").asString()).isEqualTo("http.reject");
    assertThat(unknown.path("decision").asString()).isEqualTo("deny");
    assertThat(unknown.path("status").asInt()).isEqualTo(404);
    assertThat(unknown.path("subject").asString()).isNotBlank();
    assertThat(unknown.path("latency_us").isIntegralNumber()).isTrue();
    JsonNode missing = gw.auditEvents(Map.of("method", probe + "-nosession")).getFirst();
    assertThat(missing.path("type").asString()).isEqualTo("http.reject");
    assertThat(missing.path("status").asInt()).isEqualTo(400);
  }

  // ------------------------------------------------------------------ helpers

  private static Reply get(Map<String, String> headers) {
    return FrontTransportIT.get(raw.url(), headers);
  }

  /** Headers of a GET stream request for a session (null: none). */
  static Map<String, String> sse(String sessionId) {
    Map<String, String> h = std(sessionId);
    h.remove("Content-Type");
    h.put("Accept", "text/event-stream");
    return h;
  }

  /** Every event of a stream until it ends (closes it). */
  static List<SseEvent> readAll(RawMcp.SseStream stream) {
    try (stream) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
      List<SseEvent> events = new ArrayList<>();
      SseEvent e;
      while ((e = stream.next()) != null) {
        events.add(e);
      }
      return events;
    }
  }

  /** Reads a stream in the background, so tests can wait for events and for its end. */
  static final class SseCollector implements AutoCloseable {
    private final RawMcp.SseStream stream;
    private final List<SseEvent> events = new CopyOnWriteArrayList<>();
    private volatile boolean ended;

    SseCollector(RawMcp.SseStream stream) {
      this.stream = stream;
      Thread.startVirtualThread(() -> {
        SseEvent e;
        while ((e = stream.next()) != null) {
          events.add(e);
        }
        ended = true;
      });
    }

    RawMcp.SseStream stream() {
      return stream;
    }

    List<SseEvent> events() {
      return List.copyOf(events);
    }

    /** The JSON messages received so far (priming events skipped). */
    List<JsonNode> messages() {
      return events.stream().filter(e -> !e.data().isBlank()).map(e -> RawMcp.JSON.readTree(e.data())).toList();
    }

    boolean ended() {
      return ended;
    }

    void awaitEnd() {
      await().atMost(Duration.ofSeconds(10)).until(this::ended);
    }

    @Override
    public void close() {
      stream.close();
    }
  }

  /** A clock tests move forward by hand, so session expiry is tested without waiting. */
  static final class MutableClock extends java.time.Clock {
    private final java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
        new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.now());

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now.get();
    }
  }
}
