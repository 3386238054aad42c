package io.mcpwarden.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The harness's own pieces, without network: the upstream's answers and SSE unwrapping. */
class HarnessTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void stdioModeAnswersRequestsInOrderAndIgnoresNotifications() throws IOException {
    String in = """
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{}}}
        {"jsonrpc":"2.0","method":"notifications/initialized"}

        {"jsonrpc":"2.0","id":"b","method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}
        not json
        {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"nope","arguments":{}}}
        """;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EchoServer.runStdio(new ByteArrayInputStream(in.getBytes(StandardCharsets.UTF_8)), out);
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");

    assertThat(lines).hasSize(4);
    JsonNode init = JSON.readTree(lines[0]);
    assertThat(init.path("result").path("protocolVersion").asString()).isEqualTo("2025-06-18");
    JsonNode echo = JSON.readTree(lines[1]);
    assertThat(echo.path("id").asString()).isEqualTo("b");
    assertThat(echo.path("result").path("content").get(0).path("text").asString()).isEqualTo("hi");
    assertThat(JSON.readTree(lines[2]).path("error").path("code").asInt()).isEqualTo(-32700);
    assertThat(JSON.readTree(lines[3]).path("error").path("code").asInt()).isEqualTo(-32602);
  }

  @Test
  void unknownVersionIsAnsweredWithTheNewest() {
    assertThat(EchoProtocol.initializeResult("1999-01-01").path("protocolVersion").asString())
        .isEqualTo(EchoProtocol.VERSIONS.getFirst());
  }

  @Test
  void eventStreamReplyYieldsTheLastMessageEvent() {
    String sse = "id: s-0\ndata: \n\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\n\n"
        + "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n";
    HttpConnection.Reply reply = new HttpConnection.Reply(200, Map.of("content-type", "text/event-stream"),
        sse.getBytes(StandardCharsets.UTF_8));
    assertThat(reply.message()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
  }

  @Test
  void jsonReplyIsTheBody() {
    HttpConnection.Reply reply = new HttpConnection.Reply(200, Map.of("content-type", "application/json"),
        "{\"id\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(reply.message()).isEqualTo("{\"id\":1}");
  }

  @Test
  void pacedRowsReportTheAddedLatencyWithoutClaimingTheClosedLoopTarget() {
    JsonNode direct = JSON.readTree("""
        {"kind":"load","group":"paced","role":"baseline","label":"direct","connections":16,"messageBytes":64,
         "durationSeconds":15,"warmupSeconds":3,"paceRps":2000,"rps":2000,"p50us":400,"p90us":500,"p99us":900,
         "p999us":1000,"maxus":2000,"errors":0,"cpu":{},"otherCores":0}""");
    JsonNode gateway = JSON.readTree("""
        {"kind":"load","group":"paced","role":"subject","label":"through mcp-warden","connections":16,"messageBytes":64,
         "durationSeconds":15,"warmupSeconds":3,"paceRps":2000,"rps":2000,"p50us":700,"p90us":900,"p99us":2100,
         "p999us":3000,"maxus":5000,"errors":0,"cpu":{},"otherCores":0}""");
    String md = Report.render(java.util.List.of(direct, gateway), "t", "2026-11-26T00:00:00Z");
    assertThat(md).contains("Added latency below saturation").contains("2000 calls/s in total on a fixed schedule")
        .contains("**Added by through mcp-warden at 2000 calls/s:** p50 +0.300 ms, p99 +1.200 ms")
        .doesNotContain("## Targets");
  }
}
