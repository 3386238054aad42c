package io.mcpwarden.it;

import static io.mcpwarden.it.FrontSessionIT.readAll;
import static io.mcpwarden.it.FrontSessionIT.sse;
import static io.mcpwarden.it.FrontTransportIT.call;
import static io.mcpwarden.it.support.RawMcp.std;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpwarden.it.FrontSessionIT.SseCollector;
import io.mcpwarden.it.support.FixtureProcess;
import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.RawMcp;
import io.mcpwarden.it.support.RawMcp.Reply;
import io.mcpwarden.it.support.RawMcp.SseEvent;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the front carries besides plain request/response (checklist T-08..T-12, T-25, T-26, T-28,
 * T-33, L-07, F-03, F-13, F-14, F-16): progress and server-to-client requests on the request's own
 * SSE stream, resumption after a cut, cancellation, list changes on the GET stream, log filtering
 * and byte-level pass-through of fields the gateway does not know.
 *
 * <p>Upstreams: the conformance fixture over stdio (unprefixed tool names) and {@link RawUpstream},
 * a hand-written stdio server that answers with fields no SDK would produce, announces list
 * changes on demand, and reports which cancellations it received.
 */
@Timeout(60)
public class FrontRelayIT {
  private static final String ELICITING_CLIENT_INIT = RawMcp.INIT.replace("\"capabilities\":{}", "\"capabilities\":{\"elicitation\":{}}");

  private static GatewayHarness gw;
  private static RawMcp raw;

  @BeforeAll
  static void start() {
    String conformance = RawMcp.JSON.writeValueAsString(FixtureProcess.conformanceStdioCommand());
    String rawUpstream = RawMcp.JSON.writeValueAsString(FixtureProcess.javaCommand(RawUpstream.class.getName()));
    gw = GatewayHarness.start("""
        servers:
          conf:
            command: %s
            prefix: false
          raw:
            command: %s
        """.formatted(conformance, rawUpstream));
    raw = gw.raw();
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  // ------------------------------------------------------------------ progress on the POST stream (T-08, T-28)

  @Test
  void progressArrivesOnTheRequestsStreamWithTheClientsTokenThenTheResponseEndsIt() {
    String sid = raw.initialize();

    List<SseEvent> events = readAll(raw.openPost(progressCall("pr-1", "\"p1\""), std(sid)));

    assertThat(events.getFirst().id()).as("priming event").isNotBlank();
    assertThat(events.getFirst().data()).isEmpty();
    List<JsonNode> messages = messages(events);
    List<JsonNode> progress = messages.stream().filter(m -> "notifications/progress".equals(m.path("method").asString())).toList();
    assertThat(progress).hasSize(3);
    assertThat(progress).allSatisfy(p -> {
      assertThat(p.at("/params/progressToken").isString()).isTrue();
      assertThat(p.at("/params/progressToken").asString()).isEqualTo("p1");
      assertThat(p.at("/params/total").asDouble()).isEqualTo(100.0);
    });
    assertThat(progress).extracting(p -> p.at("/params/progress").asDouble()).containsExactly(0.0, 50.0, 100.0);
    JsonNode response = messages.getLast();
    assertThat(response.get("id").asString()).isEqualTo("pr-1");
    assertThat(response.has("result")).isTrue();
    assertThat(messages).filteredOn(m -> m.has("id")).hasSize(1);
    // Event ids: unique, all of one stream.
    List<String> ids = events.stream().map(SseEvent::id).toList();
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(ids).allSatisfy(id -> assertThat(streamOf(id)).isEqualTo(streamOf(ids.getFirst())));
  }

  @Test
  void threeConcurrentSseCallsInOneSessionEachGetOnlyTheirOwnProgressAndResult() throws Exception {
    String sid = raw.initialize();
    List<String> tokens = List.of("1", "\"two\"", "3");
    List<CompletableFuture<List<SseEvent>>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String body = progressCall(i, tokens.get(i));
      calls.add(CompletableFuture.supplyAsync(() -> readAll(raw.openPost(body, std(sid))), Thread::startVirtualThread));
    }
    for (int i = 0; i < 3; i++) {
      List<JsonNode> messages = messages(calls.get(i).get(20, TimeUnit.SECONDS));
      JsonNode expectedToken = RawMcp.JSON.readTree(tokens.get(i));
      List<JsonNode> progress = messages.stream().filter(m -> m.has("method")).toList();
      assertThat(progress).hasSize(3);
      // Same token, same JSON type (integer stays integer), no other call's token.
      assertThat(progress).allSatisfy(p -> assertThat(p.at("/params/progressToken")).isEqualTo(expectedToken));
      assertThat(messages.getLast().get("id").asInt()).isEqualTo(i);
      assertThat(messages.getLast().has("result")).isTrue();
    }
  }

  // ------------------------------------------------------------------ resumption (T-09, T-12)

  @Test
  void afterACutTheStreamResumesWithLastEventIdWithTheRestOfItsOwnEventsOnly() throws Exception {
    String sid = raw.initialize();

    String cutId;
    try (RawMcp.SseStream post = raw.openPost(progressCall("cut-1", "\"cut\""), std(sid))) {
      assertThat(post.status()).isEqualTo(200);
      SseEvent e = post.next();
      while (e.data().isBlank()) {
        e = post.next();
      }
      assertThat(RawMcp.JSON.readTree(e.data()).at("/params/progress").asDouble()).isEqualTo(0.0);
      cutId = e.id();
    } // the client drops the connection: not a cancellation

    // Another stream of the same session runs to completion meanwhile.
    List<JsonNode> other = messages(readAll(raw.openPost(progressCall("other-1", "\"other\""), std(sid))));
    assertThat(other.getLast().get("id").asString()).isEqualTo("other-1");

    Map<String, String> resume = sse(sid);
    resume.put("Last-Event-ID", cutId);
    List<SseEvent> rest = readAll(raw.openGet(resume));
    List<JsonNode> messages = messages(rest);

    assertThat(messages).extracting(m -> m.at("/params/progress").asDouble(-1)).containsExactly(50.0, 100.0, -1.0);
    assertThat(messages.subList(0, 2)).allSatisfy(m -> assertThat(m.at("/params/progressToken").asString()).isEqualTo("cut"));
    assertThat(messages.getLast().get("id").asString()).isEqualTo("cut-1");
    assertThat(messages.getLast().has("result")).isTrue();
    assertThat(rest).filteredOn(ev -> !ev.data().isBlank())
        .allSatisfy(ev -> assertThat(streamOf(ev.id())).isEqualTo(streamOf(cutId)));

    // The same event id presented by another session replays nothing of this one.
    String stranger = raw.initialize();
    Map<String, String> steal = sse(stranger);
    steal.put("Last-Event-ID", cutId);
    try (SseCollector stolen = new SseCollector(raw.openGet(steal))) {
      assertThat(stolen.stream().status()).isEqualTo(200);
      raw.delete(Map.of("Mcp-Session-Id", stranger));
      stolen.awaitEnd();
      assertThat(stolen.messages()).isEmpty();
    }
  }

  // ------------------------------------------------------------------ cancellation (T-26)

  @Test
  void cancelledRequestGetsNoResponseItsStreamEndsAndTheUpstreamIsCancelledWithItsOwnId() throws Exception {
    String sid = raw.initialize();
    CompletableFuture<List<SseEvent>> slow = CompletableFuture.supplyAsync(
        () -> readAll(raw.openPost(call("slow-1", "raw_slow", "{}"), std(sid))), Thread::startVirtualThread);
    await().atMost(Duration.ofSeconds(10)).until(() -> upstreamLedger(sid).path("slow").size() == 1);
    JsonNode upstreamId = upstreamLedger(sid).path("slow").get(0);

    // Cancel as a client would; repeating an ignored cancel is harmless (it is a notification).
    String cancel = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"slow-1\",\"reason\":\"user\"}}";
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      Reply r = raw.post(cancel, sid);
      assertThat(r.status()).isEqualTo(202);
      assertThat(r.body()).isEmpty();
      return upstreamLedger(sid).path("cancelled").size() == 1;
    });

    // The upstream was told with the id it knows, not the client's.
    assertThat(upstreamLedger(sid).path("cancelled").get(0)).isEqualTo(upstreamId);
    // The stream ends promptly, and never carries a response for the cancelled id.
    List<SseEvent> events = slow.get(5, TimeUnit.SECONDS);
    assertThat(messages(events)).noneMatch(m -> m.has("id"));

    // A cancel for an unknown request is accepted and ignored; the session works on.
    Reply unknown = raw.post(cancel.replace("slow-1", "never-sent"), sid);
    assertThat(unknown.status()).isEqualTo(202);
    assertThat(raw.post(call("after", "test_simple_text", "{}"), sid).message().at("/result/content/0/text").asString())
        .isEqualTo("This is a simple text response for testing.");
  }

  // ------------------------------------------------------------------ server-to-client requests (F-13, L-07)

  @Test
  void samplingRequestReachesAClientThatDeclaredSamplingAndItsAnswerReachesTheTool() {
    List<String> prompts = new CopyOnWriteArrayList<>();
    try (McpSyncClient client = gw.sdkClient(b -> b
        .capabilities(McpSchema.ClientCapabilities.builder().sampling().build())
        .sampling(req -> {
          prompts.add(((TextContent) req.messages().getFirst().content()).text());
          return McpSchema.CreateMessageResult.builder(McpSchema.Role.ASSISTANT, TextContent.builder("four").build(), "test-model").build();
        }))) {
      CallToolResult r = client.callTool(new CallToolRequest("test_sampling", Map.of("prompt", "What is 2+2?"), null));

      assertThat(r.isError()).isNotEqualTo(Boolean.TRUE);
      assertThat(((TextContent) r.content().getFirst()).text()).isEqualTo("LLM response: four");
      assertThat(prompts).containsExactly("What is 2+2?");
    }
  }

  @Test
  void elicitationRequestReachesAClientThatDeclaredElicitationAndItsAnswerReachesTheTool() {
    List<String> asked = new CopyOnWriteArrayList<>();
    try (McpSyncClient client = gw.sdkClient(b -> b
        .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
        .elicitation(req -> {
          asked.add(req.message());
          return McpSchema.ElicitResult.builder(McpSchema.ElicitResult.Action.ACCEPT)
              .content(Map.of("username", "alice", "email", "alice@example.com"))
              .build();
        }))) {
      CallToolResult r = client.callTool(new CallToolRequest("test_elicitation", Map.of("message", "Who are you?"), null));

      assertThat(r.isError()).isNotEqualTo(Boolean.TRUE);
      String text = ((TextContent) r.content().getFirst()).text();
      assertThat(text).contains("action=accept").contains("alice").contains("alice@example.com");
      assertThat(asked).containsExactly("Who are you?");
    }
  }

  @Test
  void clientThatDidNotDeclareSamplingOrElicitationGetsAnErrorResultNotTheRequest() {
    try (McpSyncClient client = gw.sdkClient()) {
      CallToolResult sampling = client.callTool(new CallToolRequest("test_sampling", Map.of("prompt", "hi"), null));
      assertThat(sampling.isError()).isTrue();
      assertThat(((TextContent) sampling.content().getFirst()).text()).startsWith("Sampling not supported or error");
    }
    // Raw view of the same: the stream carries no elicitation/create, only the error result.
    String sid = raw.initialize();
    List<JsonNode> messages = messages(readAll(raw.openPost(call("e-1", "test_elicitation", "{\"message\":\"x\"}"),
        sseFirst(sid))));
    assertThat(messages).noneMatch(m -> m.has("method"));
    assertThat(messages.getLast().at("/result/isError").asBoolean()).isTrue();
  }

  @Test
  void serverRequestGoesOutWithAGatewayIdAndTheRawAnswerIsRoutedBack() {
    Reply init = raw.post(ELICITING_CLIENT_INIT, std(null));
    String sid = init.header("Mcp-Session-Id");
    raw.post(FrontTransportIT.INITIALIZED, sid);

    try (RawMcp.SseStream post = raw.openPost(call(41, "test_elicitation", "{\"message\":\"Name?\"}"), std(sid))) {
      JsonNode request = post.nextMessage();
      assertThat(request.path("method").asString()).isEqualTo("elicitation/create");
      assertThat(request.at("/params/message").asString()).isEqualTo("Name?");
      JsonNode requestId = request.get("id");
      assertThat(requestId).isNotNull();

      // Another session answering this id is accepted (202) but never routed to the upstream.
      String intruder = raw.post(ELICITING_CLIENT_INIT, std(null)).header("Mcp-Session-Id");
      String forged = "{\"jsonrpc\":\"2.0\",\"id\":" + RawMcp.JSON.writeValueAsString(requestId)
          + ",\"result\":{\"action\":\"accept\",\"content\":{\"username\":\"mallory\",\"email\":\"m@evil.example\"}}}";
      assertThat(raw.post(forged, intruder).status()).isEqualTo(202);

      String answer = "{\"jsonrpc\":\"2.0\",\"id\":" + RawMcp.JSON.writeValueAsString(requestId)
          + ",\"result\":{\"action\":\"decline\"}}";
      Reply accepted = raw.post(answer, sid);
      assertThat(accepted.status()).isEqualTo(202);
      assertThat(accepted.body()).isEmpty();

      JsonNode response = post.nextMessage();
      assertThat(response.get("id").asInt()).isEqualTo(41);
      assertThat(response.at("/result/content/0/text").asString()).contains("action=decline").doesNotContain("mallory");
      assertThat(post.nextMessage()).isNull();
    }
  }

  // ------------------------------------------------------------------ logging (F-16)

  @Test
  void logLevelErrorSuppressesInfoLogsWhichOtherwiseArriveOnTheRequestsStream() {
    String chatty = raw.initialize();
    List<JsonNode> heard = messages(readAll(raw.openPost(call(1, "test_tool_with_logging", "{}"), std(chatty))));
    assertThat(heard).filteredOn(m -> "notifications/message".equals(m.path("method").asString()))
        .hasSize(3)
        .allSatisfy(m -> assertThat(m.at("/params/level").asString()).isEqualTo("info"));
    assertThat(heard.getLast().get("id").asInt()).isEqualTo(1);

    String quiet = raw.initialize();
    JsonNode invalid = raw.post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"loud\"}}", quiet).message();
    assertThat(invalid.at("/error/code").asInt()).isEqualTo(-32602);
    JsonNode set = raw.post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"error\"}}", quiet).message();
    assertThat(set.get("result").isObject()).isTrue();
    assertThat(set.get("result").size()).isZero();

    List<JsonNode> silent = messages(readAll(raw.openPost(call(4, "test_tool_with_logging", "{}"), sseFirst(quiet))));
    assertThat(silent).noneMatch(m -> "notifications/message".equals(m.path("method").asString()));
    assertThat(silent.getLast().at("/result/content/0/text").asString()).isEqualTo("Tool with logging executed successfully");
  }

  @Test
  void aJsonOnlyClientGetsTheRelatedLogsOfItsCallOnItsGetStream() {
    String sid = raw.initialize();
    try (SseCollector get = new SseCollector(raw.openGet(sse(sid)))) {
      assertThat(get.stream().status()).isEqualTo(200);
      Map<String, String> json = std(sid);
      json.put("Accept", "application/json");

      Reply r = raw.post(call(5, "test_tool_with_logging", "{}"), json);

      assertThat(r.header("Content-Type")).startsWith("application/json");
      assertThat(r.json().get("id").asInt()).isEqualTo(5);
      await().atMost(Duration.ofSeconds(10)).until(() -> get.messages().size() == 3);
      assertThat(get.messages()).allSatisfy(m -> assertThat(m.path("method").asString()).isEqualTo("notifications/message"));
      raw.delete(Map.of("Mcp-Session-Id", sid));
      get.awaitEnd();
      assertThat(get.messages()).hasSize(3);
    }
  }

  // ------------------------------------------------------------------ GET stream traffic (T-10, T-11, T-25, F-03)

  @Test
  void anUpstreamListChangeReachesExactlyOneGetStreamAndNoResponseEverDoes() {
    String sid = raw.initialize();
    try (SseCollector a = new SseCollector(raw.openGet(sse(sid))); SseCollector b = new SseCollector(raw.openGet(sse(sid)))) {
      assertThat(a.stream().status()).isEqualTo(200);
      assertThat(b.stream().status()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> !a.events().isEmpty() && !b.events().isEmpty());

      Reply announce = raw.post(call(6, "raw_announce", "{}"), sid);
      assertThat(announce.message().get("id").asInt()).isEqualTo(6);
      // Notifications and responses posted meanwhile get no answer on any stream (T-25).
      assertThat(raw.post(FrontTransportIT.INITIALIZED, sid).status()).isEqualTo(202);
      assertThat(raw.post("{\"jsonrpc\":\"2.0\",\"id\":\"srv-404\",\"result\":{}}", sid).status()).isEqualTo(202);
      await().atMost(Duration.ofSeconds(10)).until(() -> a.messages().size() + b.messages().size() >= 1);
      // The gateway re-lists after the change: the new tool is there once approved (tool
      // integrity holds back tools added after first use; see ToolIntegrityIT).
      raw.post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}", sid);
      gw.approveTool("raw", "fresh");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonNode tools = raw.post("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/list\"}", sid).message();
        List<String> names = new ArrayList<>();
        tools.at("/result/tools").forEach(t -> names.add(t.path("name").asString()));
        assertThat(names).contains("raw_fresh", "raw_announce", "test_simple_text");
      });

      // Ending the session ends both streams; everything they carried is now known.
      raw.delete(Map.of("Mcp-Session-Id", sid));
      a.awaitEnd();
      b.awaitEnd();
      List<JsonNode> all = new ArrayList<>(a.messages());
      all.addAll(b.messages());
      // One for the upstream's change, one for the approval that made raw_fresh visible (docs/integrity.md).
      assertThat(all).extracting(m -> m.path("method").asString())
          .containsExactly("notifications/tools/list_changed", "notifications/tools/list_changed");
      assertThat(all).noneMatch(m -> m.has("id") || m.has("result") || m.has("error"));
    }
  }

  // ------------------------------------------------------------------ raw JSON pass-through (F-14)

  @Test
  void unknownFieldsAndMetaPassThroughResultsListsAndRequestsUnchanged() {
    String sid = raw.initialize();
    String request = "{\"jsonrpc\":\"2.0\",\"id\":\"r-1\",\"method\":\"tools/call\",\"params\":{\"name\":\"raw_result\","
        + "\"arguments\":{\"k\":[1,{\"v\":null}]},\"_meta\":{\"com.example/req\":\"r1\",\"nested\":{\"n\":[true]}}}}";

    JsonNode response = raw.post(request, sid).message();

    assertThat(response.get("id").isString()).isTrue();
    assertThat(response.get("id").asString()).isEqualTo("r-1");
    ObjectNode expected = (ObjectNode) RawMcp.JSON.readTree(RawUpstream.RESULT);
    expected.putObject("_meta").put("com.example/trace", "abc")
        .set("requestMeta", RawMcp.JSON.readTree("{\"com.example/req\":\"r1\",\"nested\":{\"n\":[true]}}"));
    ((ObjectNode) expected.get("_meta")).set("requestArguments", RawMcp.JSON.readTree("{\"k\":[1,{\"v\":null}]}"));
    assertThat(response.get("result")).isEqualTo(expected);

    JsonNode tools = raw.post("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/list\"}", sid).message().at("/result/tools");
    JsonNode listed = null;
    for (JsonNode t : tools) {
      if ("raw_result".equals(t.path("name").asString())) {
        listed = t;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.get("x-vendor-hint")).isEqualTo(RawMcp.JSON.readTree("{\"kept\":true,\"list\":[1,2]}"));
    assertThat(listed.get("_meta")).isEqualTo(RawMcp.JSON.readTree("{\"com.example/tool\":1}"));
  }

  // ------------------------------------------------------------------ helpers

  private static String progressCall(Object id, String tokenJson) {
    String idJson = id instanceof String s ? "\"" + s + "\"" : String.valueOf(id);
    return "{\"jsonrpc\":\"2.0\",\"id\":" + idJson + ",\"method\":\"tools/call\",\"params\":{\"name\":\"test_tool_with_progress\","
        + "\"arguments\":{},\"_meta\":{\"progressToken\":" + tokenJson + "}}}";
  }

  /** Headers asking for SSE first, so even an immediate response comes as a stream. */
  private static Map<String, String> sseFirst(String sid) {
    Map<String, String> h = std(sid);
    h.put("Accept", "text/event-stream, application/json");
    return h;
  }

  private static List<JsonNode> messages(List<SseEvent> events) {
    return events.stream().filter(e -> !e.data().isBlank()).map(e -> RawMcp.JSON.readTree(e.data())).toList();
  }

  private static String streamOf(String eventId) {
    return eventId.substring(0, eventId.lastIndexOf('-'));
  }

  /** What the raw upstream has seen: ids of slow calls and request ids of cancellations. */
  private static JsonNode upstreamLedger(String sid) {
    return raw.post(call("ledger", "raw_cancels", "{}"), sid).message().at("/result/structuredContent");
  }

  /**
   * A stdio MCP server written by hand, for what SDK-built servers never do: results with
   * unknown fields, list changes on demand, requests that never finish until cancelled.
   */
  public static final class RawUpstream {
    static final String RESULT = """
        {"content":[{"type":"text","text":"raw","annotations":{"audience":["user"],"priority":0.25},"x-content-extra":"kept"}],
         "structuredContent":{"n":1,"big":12345678901234567890,"pi":3.25,"nested":{"list":[1,"two",null,true]}},
         "isError":false,
         "x-unknown-field":{"a":[1,2,3],"s":"\\u00e9\\u2603"}}""";

    private RawUpstream() {}

    public static void main(String[] args) throws Exception {
      JsonMapper json = JsonMapper.builder().build();
      PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
      System.setOut(System.err);
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      List<JsonNode> slow = new ArrayList<>();
      List<JsonNode> cancelled = new ArrayList<>();
      boolean fresh = false;
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode msg = json.readTree(line);
        String method = msg.path("method").asString("");
        JsonNode id = msg.get("id");
        if (id == null) {
          if ("notifications/cancelled".equals(method)) {
            cancelled.add(msg.at("/params/requestId"));
          }
          continue;
        }
        if (method.isEmpty()) {
          continue; // an answer to a request of ours; we send none
        }
        ObjectNode reply = json.createObjectNode().put("jsonrpc", "2.0").set("id", id);
        switch (method) {
          case "initialize" -> {
            ObjectNode r = reply.putObject("result");
            r.put("protocolVersion", msg.at("/params/protocolVersion").asString("2025-11-25"));
            r.putObject("capabilities").putObject("tools").put("listChanged", true);
            r.putObject("serverInfo").put("name", "raw-upstream").put("version", "1");
          }
          case "ping" -> reply.putObject("result");
          case "tools/list" -> {
            ArrayNode tools = reply.putObject("result").putArray("tools");
            List<String> names = new ArrayList<>(List.of("result", "announce", "slow", "cancels"));
            if (fresh) {
              names.add("fresh");
            }
            for (String name : names) {
              ObjectNode t = tools.addObject().put("name", name).put("description", "raw " + name);
              t.putObject("inputSchema").put("type", "object");
              if (name.equals("result")) {
                t.set("x-vendor-hint", json.readTree("{\"kept\":true,\"list\":[1,2]}"));
                t.set("_meta", json.readTree("{\"com.example/tool\":1}"));
              }
            }
          }
          case "tools/call" -> {
            switch (msg.at("/params/name").asString("")) {
              case "result" -> {
                ObjectNode r = (ObjectNode) json.readTree(RESULT);
                ObjectNode meta = r.putObject("_meta").put("com.example/trace", "abc");
                meta.set("requestMeta", msg.at("/params/_meta"));
                meta.set("requestArguments", msg.at("/params/arguments"));
                reply.set("result", r);
              }
              case "announce" -> {
                fresh = true;
                out.println("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}");
                reply.putObject("result").putArray("content").addObject().put("type", "text").put("text", "announced");
              }
              case "slow" -> {
                slow.add(id);
                continue; // answered never: only a cancellation ends it
              }
              case "cancels" -> {
                ObjectNode r = reply.putObject("result");
                ObjectNode ledger = r.putObject("structuredContent");
                ledger.putArray("slow").addAll(slow);
                ledger.putArray("cancelled").addAll(cancelled);
                r.putArray("content").addObject().put("type", "text").put("text", ledger.toString());
              }
              default -> reply.putObject("error").put("code", -32602).put("message", "Unknown tool");
            }
          }
          default -> reply.putObject("error").put("code", -32601).put("message", "Method not found: " + method);
        }
        out.println(json.writeValueAsString(reply));
      }
    }
  }
}
