package io.mcpwarden.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.config.StdioConfig;
import io.mcpwarden.core.message.JsonCodec;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.message.JsonRpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs {@link StdioBackend} against a real child process: a small {@code /bin/sh} MCP server that
 * answers by method name and copies the request id it was sent.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
@Timeout(30)
class StdioBackendTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /**
   * Pure POSIX sh so the child needs no PATH (its environment is cleared); external tools are
   * called by absolute path. The id is whatever follows the last {@code "id":} up to ',' or '}'.
   */
  private static final String SCRIPT = """
      #!/bin/sh
      echo 'fixture starting (not JSON-RPC)'
      initialized=no
      client=unknown
      while IFS= read -r line; do
        id=${line##*\\"id\\":}
        id=${id%%[,\\}]*}
        reply() { printf '%s\\n' "{\\"jsonrpc\\":\\"2.0\\",\\"id\\":$id,\\"result\\":$1}"; }
        case "$line" in
          *'"method":"initialize"'*)
            case "$line" in *'"clientInfo":{"name":"mcp-warden"'*) client=mcp-warden ;; esac
            echo 'some log line on stdout'
            reply '{"protocolVersion":"2025-11-25","capabilities":{"tools":{}},"serverInfo":{"name":"sh-fixture","version":"1.0"}}' ;;
          *'"method":"notifications/initialized"'*) initialized=yes ;;
          *'"method":"notifications/'*) ;;
          *'"method":"tools/list"'*)
            reply '{"tools":[{"name":"echo","inputSchema":{"type":"object"}}]}' ;;
          *'"method":"state"'*)
            reply "{\\"initialized\\":\\"$initialized\\",\\"client\\":\\"$client\\",\\"pid\\":$$}" ;;
          *'"method":"whatid"'*)
            reply "{\\"seen\\":\\"$id\\"}" ;;
          *'"method":"env"'*)
            names=$(/usr/bin/env | /usr/bin/sed 's/=.*//' | /usr/bin/tr '\\n' ' ')
            reply "{\\"names\\":\\"$names\\",\\"home\\":\\"${HOME-}\\",\\"fixture\\":\\"${WARDEN_FIXTURE-}\\"}" ;;
          *'"method":"progress"'*)
            tok=${line##*\\"progressToken\\":\\"}
            tok=${tok%%\\"*}
            printf '%s\\n' "{\\"jsonrpc\\":\\"2.0\\",\\"method\\":\\"notifications/progress\\",\\"params\\":{\\"progressToken\\":\\"$tok\\",\\"progress\\":1}}"
            reply "{\\"upstreamToken\\":\\"$tok\\"}" ;;
          *'"method":"garbage"'*)
            echo 'plain text'
            echo '[1,2,3]'
            echo '{"unterminated":'
            printf '{"jsonrpc":"2.0","id":%s,"result":{"pad":"%02000d"}}\\n' "$id" 0
            reply '{"after":"garbage"}' ;;
          *'"method":"crash"'*) exit 3 ;;
          *'"method":"hang"'*) ;;
          *) reply '{}' ;;
        esac
      done
      """;

  private static Path script;
  private final List<StdioBackend> backends = new ArrayList<>();

  @BeforeAll
  static void writeScript(@TempDir Path dir) throws IOException {
    script = dir.resolve("fixture.sh");
    Files.writeString(script, SCRIPT);
  }

  @AfterEach
  void closeBackends() {
    backends.forEach(StdioBackend::close);
  }

  private StdioBackend backend(StdioConfig.Isolation isolation, List<String> passthrough) {
    StdioConfig stdio = new StdioConfig(List.of("/bin/sh", script.toString()), Map.of("WARDEN_FIXTURE", "yes"),
        passthrough, null, isolation, 1024, Duration.ofMillis(500));
    ServerConfig config = new ServerConfig("fx", ServerConfig.Transport.STDIO, true, Duration.ofSeconds(20),
        Duration.ofSeconds(10), stdio, null);
    StdioBackend b = new StdioBackend(config, new JsonCodec(64, 1_000_000));
    backends.add(b);
    b.start();
    return b;
  }

  private StdioBackend shared() {
    return backend(StdioConfig.Isolation.SHARED, List.of());
  }

  /** Records what arrives outside of calls. */
  static final class Listener implements UpstreamListener {
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

  private static ObjectNode request(JsonNode id, String method) {
    return JsonRpc.request(id, method, JsonRpc.NODES.objectNode());
  }

  private static ObjectNode call(UpstreamSession s, JsonNode id, String method) {
    return s.call(request(id, method), RelatedSink.NONE).await(WAIT);
  }

  private static ObjectNode call(UpstreamSession s, String method) {
    return call(s, JsonRpc.NODES.numberNode(1), method);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void initializeHandshakeCompletesDespiteNoiseOnStdout() {
    StdioBackend b = shared();
    UpstreamSession s = b.open(new Listener(), null);
    assertThat(s.isOpen()).isTrue();
    assertThat(s.protocolVersion()).isEqualTo("2025-11-25");
    assertThat(s.initializeResult().path("serverInfo").path("name").asString()).isEqualTo("sh-fixture");
    JsonNode state = call(s, "state").get("result");
    assertThat(state.get("initialized").asString()).as("notifications/initialized was sent").isEqualTo("yes");
    assertThat(state.get("client").asString()).isEqualTo("mcp-warden");
    assertThat(state.get("pid").asLong()).isEqualTo(b.sharedPid());
  }

  @Test
  void stringAndIntegerIdsComeBackWithTheirType() {
    UpstreamSession s = shared().open(new Listener(), null);
    ObjectNode byString = call(s, JsonRpc.NODES.stringNode("abc"), "tools/list");
    assertThat(byString.get("id").isString()).isTrue();
    assertThat(byString.get("id").asString()).isEqualTo("abc");
    assertThat(byString.get("result").get("tools").get(0).get("name").asString()).isEqualTo("echo");

    ObjectNode byInt = call(s, JsonRpc.NODES.numberNode(7), "tools/list");
    assertThat(byInt.get("id").isIntegralNumber()).isTrue();
    assertThat(byInt.get("id").asInt()).isEqualTo(7);
  }

  @Test
  void upstreamSeesGatewayIdsSoSessionsNeverCollide() {
    StdioBackend b = shared();
    UpstreamSession alice = b.open(new Listener(), null);
    UpstreamSession bob = b.open(new Listener(), null);
    ObjectNode a = call(alice, JsonRpc.NODES.numberNode(1), "whatid");
    ObjectNode c = call(bob, JsonRpc.NODES.numberNode(1), "whatid");
    ObjectNode d = call(alice, JsonRpc.NODES.stringNode("abc"), "whatid");
    assertThat(a.get("id").asInt()).isEqualTo(1);
    assertThat(c.get("id").asInt()).isEqualTo(1);
    List<String> seen = List.of(a, c, d).stream().map(r -> r.get("result").get("seen").asString()).toList();
    assertThat(seen).doesNotHaveDuplicates().allMatch(v -> v.matches("\\d+"));
  }

  @Test
  void callDoesNotModifyTheCallersRequest() {
    UpstreamSession s = shared().open(new Listener(), null);
    ObjectNode req = request(JsonRpc.NODES.stringNode("mine"), "whatid");
    String before = req.toString();
    s.call(req, RelatedSink.NONE).await(WAIT);
    assertThat(req.toString()).isEqualTo(before);
  }

  @Test
  void progressTokenIsRewrittenUpstreamAndRestoredForTheClient() throws InterruptedException {
    UpstreamSession s = shared().open(new Listener(), null);
    ObjectNode params = JsonRpc.NODES.objectNode();
    params.putObject("_meta").put("progressToken", "client-token");
    List<ObjectNode> related = new CopyOnWriteArrayList<>();
    ObjectNode resp = s.call(JsonRpc.request(JsonRpc.NODES.numberNode(3), "progress", params), related::add).await(WAIT);
    assertThat(resp.get("result").get("upstreamToken").asString()).isNotEqualTo("client-token");
    await("progress notification", () -> !related.isEmpty());
    ObjectNode progress = related.getFirst();
    assertThat(progress.get("method").asString()).isEqualTo("notifications/progress");
    assertThat(progress.get("params").get("progressToken").asString()).isEqualTo("client-token");
  }

  @Test
  void nonJsonOversizeAndNonObjectLinesAreIgnored() {
    UpstreamSession s = shared().open(new Listener(), null);
    ObjectNode resp = call(s, JsonRpc.NODES.numberNode(9), "garbage");
    // The 2 kB line carrying the right id was over the 1 kB cap and must have been dropped.
    assertThat(resp.get("result").has("pad")).isFalse();
    assertThat(resp.get("result").get("after").asString()).isEqualTo("garbage");
    assertThat(call(s, "tools/list").has("result")).isTrue();
  }

  @Test
  void childEnvironmentIsClearedThenSetFromConfiguration() {
    assumeTrue(System.getenv("PATH") != null);
    UpstreamSession s = shared().open(new Listener(), null);
    JsonNode r = call(s, "env").get("result");
    List<String> names = Arrays.asList(r.get("names").asString().trim().split(" +"));
    assertThat(names).contains("WARDEN_FIXTURE").doesNotContain("PATH", "HOME", "JAVA_HOME", "USER");
    // /bin/sh may add PWD of its own; nothing of the gateway's environment is there.
    assertThat(names).allMatch(n -> n.equals("WARDEN_FIXTURE") || n.equals("PWD") || n.equals("SHLVL") || n.equals("_"));
    assertThat(r.get("fixture").asString()).isEqualTo("yes");
    assertThat(r.get("home").asString()).isEmpty();
  }

  @Test
  void passthroughCopiesOnlyTheListedVariables() {
    String home = System.getenv("HOME");
    assumeTrue(home != null && !home.contains("\"") && !home.contains("\\"));
    UpstreamSession s = backend(StdioConfig.Isolation.SHARED, List.of("HOME", "WARDEN_SURELY_UNSET_VARIABLE"))
        .open(new Listener(), null);
    JsonNode r = call(s, "env").get("result");
    assertThat(r.get("home").asString()).isEqualTo(home);
    assertThat(r.get("names").asString()).doesNotContain("PATH").doesNotContain("WARDEN_SURELY_UNSET_VARIABLE");
  }

  @Test
  void crashFailsPendingCallsFastAndTheChildRestarts() throws InterruptedException {
    StdioBackend b = shared();
    Listener aliceListener = new Listener();
    UpstreamSession alice = b.open(aliceListener, null);
    UpstreamSession bob = b.open(new Listener(), null);
    long oldPid = call(alice, "state").get("result").get("pid").asLong();
    assertThat(oldPid).isEqualTo(b.sharedPid());

    UpstreamCall hanging = bob.call(request(JsonRpc.NODES.numberNode(1), "hang"), RelatedSink.NONE);
    UpstreamCall crashing = alice.call(request(JsonRpc.NODES.numberNode(2), "crash"), RelatedSink.NONE);

    long start = System.nanoTime();
    Duration longTimeout = Duration.ofSeconds(20);
    assertThatThrownBy(() -> crashing.await(longTimeout))
        .isInstanceOf(JsonRpcException.class)
        .hasMessageContaining("exited with code 3");
    assertThatThrownBy(() -> hanging.await(longTimeout)).isInstanceOf(JsonRpcException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    await("upstreamLost reported", () -> !aliceListener.closed.isEmpty());
    assertThat(aliceListener.closed.getFirst()).contains("exited with code 3");

    await("a new child", () -> b.sharedPid() != -1 && b.sharedPid() != oldPid);
    UpstreamSession again = b.open(new Listener(), null);
    JsonNode state = call(again, "state").get("result");
    assertThat(state.get("pid").asLong()).isNotEqualTo(oldPid).isEqualTo(b.sharedPid());
    assertThat(state.get("initialized").asString()).isEqualTo("yes");
  }

  @Test
  void aChildThatExitsAtOnceIsRestartedByOneChainOnly(@TempDir Path dir) throws Exception {
    // Regression: when the child died before initialize could be written, both the exit handler
    // and the start routine scheduled a restart, so restart chains multiplied with every crash.
    Path count = dir.resolve("spawns");
    Path quitter = dir.resolve("quitter.sh");
    Files.writeString(quitter, "echo x >> \"$1\"\nexit 1\n");
    StdioConfig stdio = new StdioConfig(List.of("/bin/sh", quitter.toString(), count.toString()), Map.of(), List.of(),
        null, StdioConfig.Isolation.SHARED, 1024, Duration.ofMillis(100));
    ServerConfig config = new ServerConfig("quitter", ServerConfig.Transport.STDIO, true, Duration.ofSeconds(5),
        Duration.ofSeconds(5), stdio, null);
    StdioBackend b = new StdioBackend(config, new JsonCodec(64, 1000));
    backends.add(b);
    b.start();
    Thread.sleep(1500);
    b.close();
    Thread.sleep(200);
    // One chain with a 100 ms delay spawns at most 1 + 1500 / 100 children in this window.
    assertThat(Files.readAllLines(count)).hasSizeBetween(2, 16);
  }

  @Test
  void perSessionIsolationGivesEachSessionItsOwnChild() {
    StdioBackend b = backend(StdioConfig.Isolation.PER_SESSION, List.of());
    assertThat(b.sharedPid()).isEqualTo(-1);
    UpstreamSession one = b.open(new Listener(), null);
    UpstreamSession two = b.open(new Listener(), null);
    long pid1 = call(one, "state").get("result").get("pid").asLong();
    long pid2 = call(two, "state").get("result").get("pid").asLong();
    assertThat(pid1).isNotEqualTo(pid2);
    one.close();
    assertThat(one.isOpen()).isFalse();
    assertThat(ProcessHandle.of(pid1).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(call(two, "tools/list").has("result")).isTrue();
  }

  @Test
  void aClosedSessionRefusesCalls() {
    UpstreamSession s = shared().open(new Listener(), null);
    s.close();
    assertThatThrownBy(() -> call(s, "tools/list"))
        .isInstanceOfSatisfying(JsonRpcException.class, e -> assertThat(e.code()).isEqualTo(JsonRpc.UPSTREAM_UNAVAILABLE));
  }

  @Test
  void closingTheBackendStopsTheChild() throws InterruptedException {
    StdioBackend b = shared();
    b.open(new Listener(), null);
    long pid = b.sharedPid();
    b.close();
    await("child gone", () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
  }

  @Test
  void aCommandThatCannotStartFailsOpenWithUpstreamUnavailable() {
    StdioConfig stdio = new StdioConfig(List.of("/nonexistent/warden-test-binary"), Map.of(), List.of(), null,
        StdioConfig.Isolation.SHARED, 1024, Duration.ofSeconds(1));
    ServerConfig config = new ServerConfig("missing", ServerConfig.Transport.STDIO, true, Duration.ofSeconds(5),
        Duration.ofMillis(500), stdio, null);
    StdioBackend b = new StdioBackend(config, new JsonCodec(64, 1000));
    backends.add(b);
    b.start();
    assertThatThrownBy(() -> b.open(new Listener(), null))
        .isInstanceOfSatisfying(JsonRpcException.class, e -> assertThat(e.code()).isEqualTo(JsonRpc.UPSTREAM_UNAVAILABLE))
        .hasMessageContaining("missing");
  }
}
