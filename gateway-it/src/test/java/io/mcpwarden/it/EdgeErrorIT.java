package io.mcpwarden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.RawMcp;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Errors Jetty answers before the MCP endpoint runs (oversize headers, unknown paths) come back
 * as JSON-RPC errors and are audited; pings are audited like every other request.
 */
class EdgeErrorIT {
  private static GatewayHarness gw;

  @BeforeAll
  static void start() {
    gw = GatewayHarness.demo();
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void oversizeHeaderIsRefusedWithJsonRpcErrorAndAudited() {
    RawMcp raw = gw.raw();
    Map<String, String> headers = RawMcp.std(null);
    headers.put("X-Padding", "a".repeat(64 * 1024));
    RawMcp.Reply r = raw.post(RawMcp.INIT, headers);
    assertThat(r.status()).isEqualTo(431);
    assertThat(r.json().path("error").path("code").asInt()).isEqualTo(-32600);
    await().untilAsserted(() -> assertThat(gw.auditEvents(Map.of("type", "http.reject")))
        .anyMatch(e -> e.path("status").asInt() == 431));
    // The legitimate twin: the same request without the padding is served.
    assertThat(raw.post(RawMcp.INIT, RawMcp.std(null)).status()).isEqualTo(200);
  }

  @Test
  void unknownPathGetsJsonErrorAndIsAudited() {
    String reply = RawMcp.rawRequest(gw.gateway().port(),
        "GET /elsewhere HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertThat(reply).startsWith("HTTP/1.1 404");
    assertThat(reply).contains("\"jsonrpc\":\"2.0\"");
    await().untilAsserted(() -> assertThat(gw.auditEvents(Map.of("type", "http.reject")))
        .anyMatch(e -> e.path("status").asInt() == 404));
  }

  @Test
  void pingIsAuditedLikeEveryRequest() {
    RawMcp raw = gw.raw();
    String sid = raw.initialize();
    RawMcp.Reply pong = raw.post("{\"jsonrpc\":\"2.0\",\"id\":\"p1\",\"method\":\"ping\"}", sid);
    assertThat(pong.message().path("result").isObject()).isTrue();
    await().untilAsserted(() -> assertThat(gw.auditEvents(Map.of("type", "mcp.request", "method", "ping", "session", sid)))
        .hasSize(1));
  }
}
