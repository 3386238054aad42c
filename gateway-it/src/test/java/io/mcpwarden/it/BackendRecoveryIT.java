package io.mcpwarden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.RawMcp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * L-10: an upstream that is down when a session starts is left out, and comes back into that same
 * session once it recovers, announced with list_changed on the session's GET stream.
 */
class BackendRecoveryIT {

  @Test
  void serverDownAtSessionStartJoinsTheSessionWhenItRecovers() throws Exception {
    Path marker = Files.createTempDirectory("warden-recovery").resolve("up");
    String demoJar = GatewayHarness.repoRoot().resolve("demo-server/target/demo-server.jar").toString();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // The server only starts once the marker file exists: before that it exits at once.
    String script = "test -f '" + marker + "' && exec '" + java + "' -XX:TieredStopAtLevel=1 -jar '" + demoJar + "'";
    String yaml = "servers:\n"
        + GatewayHarness.demoServer("good")
        + "  flaky:\n    command: [\"/bin/sh\", \"-c\", \"" + script.replace("\"", "\\\"") + "\"]\n"
        + "    restart-backoff-max: 500ms\n";
    try (GatewayHarness gw = GatewayHarness.start(yaml)) {
      RawMcp raw = gw.raw();
      String sid = raw.initialize();
      assertThat(toolNames(raw, sid)).contains("good_echo").noneMatch(n -> n.startsWith("flaky_"));

      List<JsonNode> announced = new ArrayList<>();
      try (RawMcp.SseStream get = raw.openGet(RawMcp.std(sid))) {
        assertThat(get.status()).isEqualTo(200);
        Thread reader = Thread.startVirtualThread(() -> {
          JsonNode m;
          while ((m = get.nextMessage()) != null) {
            synchronized (announced) {
              announced.add(m);
            }
          }
        });
        Files.createFile(marker);
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1))
            .until(() -> toolNames(raw, sid).contains("flaky_echo"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
          synchronized (announced) {
            return announced.stream().anyMatch(m -> "notifications/tools/list_changed".equals(m.path("method").asString("")));
          }
        });
        reader.interrupt();
      }
      JsonNode call = raw.post("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"flaky_echo\",\"arguments\":{\"text\":\"back\"}}}", sid).message();
      assertThat(call.path("result").path("content").get(0).path("text").asString()).isEqualTo("back");
    }
  }

  private static List<String> toolNames(RawMcp raw, String sid) {
    JsonNode r = raw.post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}", sid).message();
    List<String> names = new ArrayList<>();
    r.path("result").path("tools").forEach(t -> names.add(t.path("name").asString()));
    return names;
  }
}
