package io.mcpwarden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpwarden.core.auth.DevIssuer;
import io.mcpwarden.core.session.FrontSession;
import io.mcpwarden.core.testing.ManualClock;
import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.RawMcp;
import io.mcpwarden.it.support.RawMcp.Reply;
import io.mcpwarden.it.support.ScriptedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Rate limits, concurrency caps and the result-size limit through HTTP, with authentication on
 * (development issuer) so users are told apart: over a limit a client gets 429 with Retry-After and
 * a -32003 error naming the limit, the refusal is audited, and everyone else is served. Time is a
 * test clock: buckets refill only when a test moves it, and each test starts with full buckets.
 */
@Timeout(90)
class LimitsIT {
  private static final ManualClock CLOCK = new ManualClock(Instant.now());
  private static final Map<String, String> SESSIONS = new ConcurrentHashMap<>();
  private static GatewayHarness gw;
  private static RawMcp raw;
  private static DevIssuer issuer;
  private static Path keyDir;

  @BeforeAll
  static void start() throws IOException {
    keyDir = Files.createTempDirectory("warden-limits");
    gw = GatewayHarness.start("""
        auth:
          required-scopes: [mcp:tools]
          dev-issuer:
            enabled: true
            key-file: %s
        limits:
          rate:
            per-user: { capacity: 3, refill-per-second: 0.2 }
            per-server: { capacity: 6, refill-per-second: 1 }
            tools:
              a_add: { capacity: 2, refill-per-second: 0.5 }
          max-concurrent-per-user: 1
          max-concurrent-per-server: 2
          max-result-bytes: 4096
        servers:
        """.formatted(keyDir.resolve("dev-key.json"))
        + ScriptedProcess.stdioServer("a", "--tools echo,add")
        + ScriptedProcess.stdioServer("b", "--tools echo"), CLOCK, UnaryOperator.identity());
    raw = gw.raw();
    issuer = DevIssuer.open(keyDir.resolve("dev-key.json"), gw.baseUrl(), CLOCK);
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  @BeforeEach
  void fullBuckets() {
    CLOCK.advance(Duration.ofMinutes(1));
  }

  // ------------------------------------------------------------------ rates

  @Test
  void aUserOverTheRateGets429WithRetryAfterWhileAnotherUserIsServed() {
    for (int i = 0; i < 3; i++) {
      assertServed(call("alice", "a_echo", "{\"n\":" + i + "}"));
    }
    Reply over = call("alice", "a_echo", "{\"n\":3}");
    assertLimited(over, 429, "rate.per-user");
    assertThat(over.header("Retry-After")).isEqualTo("5");
    assertThat(over.json().path("error").path("data").path("retryAfterSeconds").asInt()).isEqualTo(5);
    assertThat(over.json().path("id").asInt()).isEqualTo(9);

    assertServed(call("bob", "a_echo", "{}"));
    CLOCK.advance(Duration.ofSeconds(5));
    assertServed(call("alice", "a_echo", "{\"n\":4}"));
    assertAudited("alice", 429, "rate.per-user");
  }

  @Test
  void aToolOverItsRateIsRefusedForEveryUserWhileOtherToolsAreServed() {
    assertServed(call("tina", "a_add", "{\"a\":1,\"b\":2}"));
    assertServed(call("tom", "a_add", "{\"a\":1,\"b\":2}"));
    Reply over = call("tess", "a_add", "{\"a\":1,\"b\":2}");
    assertLimited(over, 429, "rate.per-tool");
    assertThat(over.header("Retry-After")).isEqualTo("2");
    assertServed(call("tess", "a_echo", "{}"));
    assertAudited("tess", 429, "rate.per-tool");
  }

  @Test
  void aServerOverItsRateIsRefusedWhileAnotherServerIsServed() {
    for (int i = 0; i < 6; i++) {
      assertServed(call("s" + i, "a_echo", "{}"));
    }
    Reply over = call("s6", "a_echo", "{}");
    assertLimited(over, 429, "rate.per-server");
    assertThat(over.header("Retry-After")).isEqualTo("1");
    assertServed(call("s6", "b_echo", "{}"));
    assertAudited("s6", 429, "rate.per-server");
  }

  // ------------------------------------------------------------------ concurrency

  @Test
  void concurrencyCapsPerUserAndPerServerRefuseOnlyWhileCallsAreInFlight() {
    CompletableFuture<Reply> carolSlow = CompletableFuture.supplyAsync(() -> call("carol", "a_slow", "{\"ms\":4000,\"tag\":\"c\"}"));
    CompletableFuture<Reply> daveSlow = CompletableFuture.supplyAsync(() -> call("dave", "a_slow", "{\"ms\":4000,\"tag\":\"d\"}"));
    await().atMost(Duration.ofSeconds(20)).until(() -> inFlight("carol") == 1 && inFlight("dave") == 1);

    Reply perUser = call("carol", "b_echo", "{}");
    assertLimited(perUser, 429, "max-concurrent-per-user");
    assertThat(perUser.header("Retry-After")).isEqualTo("1");
    Reply perServer = call("erin", "a_echo", "{}");
    assertLimited(perServer, 429, "max-concurrent-per-server");
    assertServed(call("erin", "b_echo", "{}"));

    assertServed(carolSlow.join());
    assertServed(daveSlow.join());
    assertServed(call("carol", "a_echo", "{}"));
    assertAudited("carol", 429, "max-concurrent-per-user");
    assertAudited("erin", 429, "max-concurrent-per-server");
  }

  // ------------------------------------------------------------------ result size

  @Test
  void aResultOverTheSizeLimitIsWithheldAndItsTwinUnderTheLimitIsRelayed() {
    String small = "s".repeat(1000);
    Reply twin = call("rita", "a_echo", "{\"text\":\"" + small + "\"}");
    assertServed(twin);
    assertThat(twin.body()).contains(small);

    String big = "B".repeat(5000);
    Reply over = call("rita", "a_echo", "{\"text\":\"" + big + "\"}");
    assertLimited(over, 200, "max-result-bytes");
    assertThat(over.body()).doesNotContain("BBBBBBBBBB");
    assertThat(over.json().path("error").path("message").asString()).contains("4096 bytes");
    assertThat(over.json().path("error").path("data").has("retryAfterSeconds")).isFalse();
    assertAudited("rita", 200, "max-result-bytes");
  }

  // ------------------------------------------------------------------ helpers

  /** A tools/call as {@code user} (own session, token from the development issuer). */
  private static Reply call(String user, String tool, String arguments) {
    Map<String, String> h = RawMcp.std(session(user));
    h.put("Authorization", "Bearer " + token(user));
    return raw.post("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
        + "\",\"arguments\":" + arguments + "}}", h);
  }

  private static String token(String user) {
    return issuer.mint(user, List.of("mcp:tools"), gw.url().toString(), Duration.ofHours(1));
  }

  private static String session(String user) {
    return SESSIONS.computeIfAbsent(user, u -> {
      Map<String, String> h = RawMcp.std(null);
      h.put("Authorization", "Bearer " + token(u));
      Reply init = raw.post(RawMcp.INIT, h);
      assertThat(init.status()).as(init.body()).isEqualTo(200);
      String sid = init.header("Mcp-Session-Id");
      Map<String, String> n = RawMcp.std(sid);
      n.put("Authorization", "Bearer " + token(u));
      raw.post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", n);
      return sid;
    });
  }

  /** Calls of {@code user}'s session in flight upstream (to know a slow call holds its slots). */
  private static int inFlight(String user) {
    String sid = SESSIONS.get(user);
    return gw.gateway().sessions().all().stream().filter(s -> s.id().equals(sid)).findFirst()
        .map(FrontSession::inFlight).map(Map::size).orElse(0);
  }

  private static void assertServed(Reply r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode msg = r.message();
    assertThat(msg.has("result")).as(r.body()).isTrue();
    assertThat(msg.path("result").path("isError").asBoolean(false)).as(r.body()).isFalse();
  }

  private static void assertLimited(Reply r, int status, String limit) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    JsonNode error = r.message().path("error");
    assertThat(error.path("code").asInt()).as(r.body()).isEqualTo(-32003);
    assertThat(error.path("data").path("limit").asString()).isEqualTo(limit);
  }

  private static void assertAudited(String user, int status, String limit) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gw.auditEvents(Map.of("type", "mcp.request", "decision", "deny")))
        .anySatisfy(e -> {
          assertThat(e.path("subject").asString()).startsWith(user + " ["); // "user [issuer]"
          assertThat(e.path("status").asInt()).isEqualTo(status);
          assertThat(e.path("detail").asString()).contains("limit " + limit);
        }));
  }
}
