package io.mcpwarden.it;

import static io.mcpwarden.it.support.CallResults.callBody;
import static io.mcpwarden.it.support.CallResults.json;
import static io.mcpwarden.it.support.CallResults.tool;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mcpwarden.it.fixture.ScriptedServer;
import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.LogCapture;
import io.mcpwarden.it.support.RawMcp;
import io.mcpwarden.it.support.ScriptedProcess;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The stdio backend through the gateway's HTTP front: process environment, stdout/stderr hygiene,
 * crash and restart, id rewriting on a shared child, timeouts, isolation and shutdown (T-24, T-30,
 * T-31, L-11).
 */
class BackendStdioIT {
  private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1500);

  private static LogCapture channelLog;
  private static LogCapture childLog;
  private static GatewayHarness gw;

  @BeforeAll
  static void start() {
    channelLog = LogCapture.of("io.mcpwarden.core.backend.StdioChannel");
    childLog = LogCapture.of("upstream.s");
    gw = GatewayHarness.start("servers:\n"
        + ScriptedProcess.stdioServer("s", "--tools search --banner --stderr",
            "env: {FX_SET: \"configured\"}",
            "env-passthrough: [PATH, HOME, WARDEN_IT_SURELY_UNSET]",
            "request-timeout: " + REQUEST_TIMEOUT.toMillis() + "ms"));
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    channelLog.close();
    childLog.close();
  }

  @Test
  void childEnvironmentIsClearedExceptPassthroughAndConfiguredVariables() {
    try (McpSyncClient client = gw.sdkClient()) {
      JsonNode env = json(client.callTool(tool("s_whoami", Map.of()))).path("env");
      Set<String> expected = new HashSet<>(Set.of("FX_SET"));
      for (String name : List.of("PATH", "HOME")) {
        if (System.getenv(name) != null) {
          expected.add(name);
        }
      }
      assertThat(env.propertyNames()).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(env.path("FX_SET").asString()).isEqualTo("configured");
      if (System.getenv("PATH") != null) {
        assertThat(env.path("PATH").asString()).isEqualTo(System.getenv("PATH"));
      }
    }
  }

  @Test
  void bannerOnStdoutIsLoggedAndDroppedAndTheSessionStaysHealthy() {
    await().atMost(10, SECONDS).until(() -> channelLog.contains(ScriptedServer.BANNER));
    try (McpSyncClient client = gw.sdkClient()) {
      assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("s_search", "s_whoami");
      JsonNode echo = json(client.callTool(tool("s_search", Map.of("q", "banner"))));
      assertThat(echo.path("arguments").path("q").asString()).isEqualTo("banner");
    }
  }

  @Test
  void stderrIsLoggedAndNotTreatedAsFailure() {
    try (McpSyncClient client = gw.sdkClient()) {
      client.callTool(tool("s_search", Map.of("q", "chatter")));
      await().atMost(10, SECONDS).until(() -> childLog.contains(ScriptedServer.STDERR_CHATTER + ": call search"));
      JsonNode echo = json(client.callTool(tool("s_search", Map.of("q", "still fine"))));
      assertThat(echo.path("arguments").path("q").asString()).isEqualTo("still fine");
    }
  }

  /** T-24: both sessions use id 7 at once; the shared child must see distinct ids. */
  @Test
  void twoSessionsSendingTheSameIdConcurrentlyEachGetTheirOwnResult() {
    RawMcp raw = gw.raw();
    String s1 = raw.initialize();
    String s2 = raw.initialize();
    String key = UUID.randomUUID().toString();
    CompletableFuture<JsonNode> r1 = CompletableFuture.supplyAsync(() ->
        raw.post(callBody(7, "s_meet", "{\"key\":\"" + key + "\",\"n\":2,\"tag\":\"one\"}"), s1).message());
    CompletableFuture<JsonNode> r2 = CompletableFuture.supplyAsync(() ->
        raw.post(callBody(7, "s_meet", "{\"key\":\"" + key + "\",\"n\":2,\"tag\":\"two\"}"), s2).message());
    JsonNode one = r1.join();
    JsonNode two = r2.join();

    assertThat(one.path("id").isIntegralNumber()).isTrue();
    assertThat(one.path("id").asInt()).isEqualTo(7);
    assertThat(two.path("id").asInt()).isEqualTo(7);
    assertThat(json(one).path("tag").asString()).isEqualTo("one");
    assertThat(json(two).path("tag").asString()).isEqualTo("two");
    // Both calls were in flight at the child together (the meeting happened), under distinct ids.
    assertThat(json(one).path("met").asBoolean()).isTrue();
    assertThat(json(two).path("met").asBoolean()).isTrue();
    List<Long> upstreamIds = new ArrayList<>();
    for (JsonNode m : json(raw.post(callBody(8, "s_received", "{}"), s1).message()).path("messages")) {
      if ("meet".equals(m.path("tool").asString(""))) {
        upstreamIds.add(m.path("id").asLong());
      }
    }
    assertThat(upstreamIds).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();

    // The id's JSON type is restored too: a string "7" comes back as a string.
    JsonNode textual = raw.post(callBody("7", "s_search", "{}"), s1).message();
    assertThat(textual.path("id").isString()).isTrue();
    assertThat(textual.path("id").asString()).isEqualTo("7");
  }

  /** L-11: the gateway's timeout answers the client and cancels the call upstream. */
  @Test
  void requestTimeoutAnswersTheClientAndCancelsUpstream() {
    RawMcp raw = gw.raw();
    String sid = raw.initialize();
    String tag = UUID.randomUUID().toString();
    long start = System.nanoTime();
    JsonNode reply = raw.post(callBody(11, "s_slow", "{\"ms\":8000,\"tag\":\"" + tag + "\"}"), sid).message();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(reply.path("id").asInt()).isEqualTo(11);
    assertThat(reply.has("error")).as("timeout must be a JSON-RPC error: %s", reply).isTrue();
    assertThat(took).isGreaterThanOrEqualTo(REQUEST_TIMEOUT).isLessThan(Duration.ofSeconds(6));

    await().atMost(10, SECONDS).untilAsserted(() -> {
      JsonNode messages = json(raw.post(callBody(12, "s_received", "{}"), sid).message()).path("messages");
      Long slowId = null;
      for (JsonNode m : messages) {
        if ("slow".equals(m.path("tool").asString(""))) {
          slowId = m.path("id").asLong();
        }
      }
      assertThat(slowId).as("the child saw the slow call").isNotNull();
      boolean cancelled = false;
      for (JsonNode m : messages) {
        if ("notifications/cancelled".equals(m.path("method").asString(""))
            && m.path("params").path("requestId").asLong(-1) == slowId) {
          cancelled = true;
        }
      }
      assertThat(cancelled).as("notifications/cancelled for upstream id %s in %s", slowId, messages).isTrue();
    });
  }

  /** A crash fails the call in flight at once and the child is restarted for the next call. */
  @Test
  void crashFailsTheCallInFlightAndTheServerIsRestarted() {
    try (McpSyncClient client = gw.sdkClient()) {
      long before = json(client.callTool(tool("s_whoami", Map.of()))).path("pid").asLong();

      assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
          assertThatThrownBy(() -> client.callTool(tool("s_crash", Map.of())))
              .isInstanceOf(McpError.class));

      long after = json(client.callTool(tool("s_whoami", Map.of()))).path("pid").asLong();
      assertThat(after).isNotEqualTo(before);
      assertThat(ProcessHandle.of(before).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
  }

  /** Per-session isolation: a child per session, ended with the session and with the gateway (T-31). */
  @Test
  void perSessionIsolationStartsOneChildPerSessionAndShutdownLeavesNoChild() {
    GatewayHarness isolated = GatewayHarness.start("servers:\n"
        + ScriptedProcess.stdioServer("p", "--tools search", "isolation: per-session"));
    long pid1;
    long pid2;
    long pid3;
    try {
      RawMcp raw = isolated.raw();
      String s1 = raw.initialize();
      String s2 = raw.initialize();
      String s3 = raw.initialize();
      pid1 = json(raw.post(callBody(1, "p_whoami", "{}"), s1).message()).path("pid").asLong();
      pid2 = json(raw.post(callBody(1, "p_whoami", "{}"), s2).message()).path("pid").asLong();
      pid3 = json(raw.post(callBody(1, "p_whoami", "{}"), s3).message()).path("pid").asLong();
      assertThat(List.of(pid1, pid2, pid3)).doesNotHaveDuplicates().allMatch(p -> p > 0);

      // Ending a session (DELETE) ends its child, and only its child.
      assertThat(raw.delete(RawMcp.std(s1)).status()).isBetween(200, 204);
      await().atMost(10, SECONDS).until(() -> !alive(pid1));
      assertThat(alive(pid2)).isTrue();
    } finally {
      isolated.close();
    }
    // Gateway shutdown closes stdin, then signals: no child outlives it.
    assertThat(alive(pid2)).isFalse();
    assertThat(alive(pid3)).isFalse();
  }

  /** L-10: a server that cannot start is left out at once, not after init-timeout, while it retries. */
  @Test
  void aServerThatCannotStartIsReportedUnavailableWithoutDelayingNewSessions() {
    GatewayHarness broken = GatewayHarness.start("servers:\n"
        + "  broken:\n    command: [\"/nonexistent/mcp-server-binary\"]\n    init-timeout: 20s\n");
    try {
      // Wait until the restart backoff has grown well past what a session may be delayed by.
      await().atMost(15, SECONDS).until(() -> channelLog.contains("server broken: restarting in 3200 ms"));
      RawMcp raw = broken.raw();
      long start = System.nanoTime();
      String sid = raw.initialize();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
      JsonNode pong = raw.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", sid).message();
      assertThat(pong.has("result")).isTrue();
    } finally {
      broken.close();
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
