package io.mcpwarden.it;

import static io.mcpwarden.it.support.CallResults.callBody;
import static io.mcpwarden.it.support.CallResults.json;
import static io.mcpwarden.it.support.CallResults.tool;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mcpwarden.it.fixture.ScriptedServer;
import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.LogCapture;
import io.mcpwarden.it.support.RawMcp;
import io.mcpwarden.it.support.ScriptedProcess;
import io.mcpwarden.server.cli.Main;
import io.mcpwarden.server.config.ConfigException;
import io.mcpwarden.server.config.ConfigLoader;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Several upstreams behind one session: namespacing and collisions (F-05), gateway pagination
 * (F-01), resource, prompt and completion routing (F-12), list_changed (F-03), icons (F-15),
 * {@code _meta} and unknown fields (F-14), and the configuration rules behind the names.
 */
class AggregationIT {
  private static final Pattern NAME_RULE = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
  /** "b_" + 62 characters = 64: the longest name that may be exposed. */
  private static final String LONGEST_OK = "k".repeat(62);
  /** "b_" + 63 characters = 65: must be hidden. */
  private static final String TOO_LONG = "z".repeat(63);

  private static LogCapture routerLog;
  private static GatewayHarness gw;
  private static GatewayHarness dotted;

  @BeforeAll
  static void start() {
    routerLog = LogCapture.of("io.mcpwarden.core.route.Router");
    gw = GatewayHarness.start("page-size: 2\nservers:\n"
        + ScriptedProcess.stdioServer("a", "--tools search,fetch")
        + ScriptedProcess.stdioServer("b", "--tools search," + LONGEST_OK + "," + TOO_LONG + ",ns/tool")
        + ScriptedProcess.stdioServer("c", "--minimal --tools solo,dup", "prefix: false")
        + ScriptedProcess.stdioServer("d", "--minimal --tools dup,donly", "prefix: false"));
    dotted = GatewayHarness.start("tool-separator: \".\"\nservers:\n" + ScriptedProcess.stdioServer("e", "--tools search"));
  }

  @AfterAll
  static void stop() {
    for (GatewayHarness g : new GatewayHarness[] {gw, dotted}) {
      if (g != null) {
        g.close();
      }
    }
    routerLog.close();
  }

  @Test
  void theSameToolOnTwoServersGetsTwoNamesEachRoutedToItsServer() {
    try (McpSyncClient client = gw.sdkClient()) {
      assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("a_search", "b_search", "a_fetch");
      assertThat(json(client.callTool(tool("a_search", Map.of("q", 1)))).path("server").asString())
          .isEqualTo("a");
      assertThat(json(client.callTool(tool("b_search", Map.of("q", 2)))).path("server").asString())
          .isEqualTo("b");
      JsonNode echo = json(client.callTool(tool("b_search", Map.of("q", 2))));
      assertThat(echo.path("tool").asString()).as("the upstream sees its own name").isEqualTo("search");
    }
  }

  @Test
  void unprefixedServersKeepTheirNamesAndACollisionIsRefusedDeterministically() {
    try (McpSyncClient client = gw.sdkClient()) {
      List<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
      assertThat(names).contains("solo", "donly").doesNotContain("c_solo", "d_dup", "c_dup");
      assertThat(names).filteredOn("dup"::equals).hasSize(1);
      // The first server in configuration order keeps the name.
      assertThat(json(client.callTool(tool("dup", Map.of()))).path("server").asString())
          .isEqualTo("c");
      assertThat(json(client.callTool(tool("donly", Map.of()))).path("server").asString())
          .isEqualTo("d");
      assertThat(routerLog.contains("'dup' hidden: name collides with one from server c")).isTrue();
    }
  }

  @Test
  void exposedNamesFollowTheToolNameRulesAndStayWithin64Characters() {
    try (McpSyncClient client = gw.sdkClient()) {
      List<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
      assertThat(names).isNotEmpty().allMatch(n -> NAME_RULE.matcher(n).matches());
      assertThat(names).contains("b_" + LONGEST_OK).doesNotContain("b_" + TOO_LONG, "b_ns/tool");
      assertThat(routerLog.contains("'" + TOO_LONG + "' hidden")).isTrue();
      assertThatThrownBy(() -> client.callTool(tool("b_" + TOO_LONG, Map.of())))
          .hasMessageContaining("Unknown tool");
    }
  }

  @Test
  void gatewayPagesWalkToTheWholeListAndItsCursorsCannotBeForgedOrCarriedOver() {
    RawMcp raw = gw.raw();
    String sid = raw.initialize();
    List<String> walked = new ArrayList<>();
    String cursor = null;
    String firstCursor = null;
    int pages = 0;
    do {
      JsonNode result = list(raw, sid, "tools/list", cursor).path("result");
      assertThat(result.path("tools").size()).isBetween(1, 2);
      result.path("tools").forEach(t -> walked.add(t.path("name").asString()));
      cursor = result.path("nextCursor").asString(null);
      if (firstCursor == null) {
        firstCursor = cursor;
      }
      pages++;
    } while (cursor != null && pages < 100);

    assertThat(cursor).as("the walk ends").isNull();
    assertThat(pages).isGreaterThan(5);
    assertThat(walked).doesNotHaveDuplicates().contains("a_search", "b_search", "solo", "dup", "a_iconic");
    try (McpSyncClient client = gw.sdkClient()) {
      assertThat(walked).containsExactlyInAnyOrderElementsOf(
          client.listTools().tools().stream().map(McpSchema.Tool::name).toList());
    }

    assertThat(errorCode(list(raw, sid, "tools/list", "garbage"))).isEqualTo(-32602);
    assertThat(errorCode(list(raw, sid, "tools/list", tamper(firstCursor)))).isEqualTo(-32602);
    assertThat(errorCode(list(raw, sid, "prompts/list", firstCursor))).as("a tools cursor on prompts").isEqualTo(-32602);
    String other = raw.initialize();
    assertThat(errorCode(list(raw, other, "tools/list", firstCursor))).as("another session's cursor").isEqualTo(-32602);
  }

  @Test
  void resourcesAreReadFromTheServerOwningTheUriOrTemplate() {
    try (McpSyncClient client = gw.sdkClient()) {
      assertThat(client.listResources().resources()).extracting(McpSchema.Resource::uri)
          .contains("fx://a/doc", "fx://b/doc");
      assertThat(client.listResourceTemplates().resourceTemplates()).extracting(McpSchema.ResourceTemplate::uriTemplate)
          .contains("fx://a/item/{id}", "fx://b/item/{id}");
      assertThat(text(client.readResource(McpSchema.ReadResourceRequest.builder("fx://b/doc").build()))).isEqualTo("doc of b");
      assertThat(text(client.readResource(McpSchema.ReadResourceRequest.builder("fx://a/doc").build()))).isEqualTo("doc of a");
      assertThat(text(client.readResource(McpSchema.ReadResourceRequest.builder("fx://a/item/42").build()))).isEqualTo("item 42 of a");
      assertThat(text(client.readResource(McpSchema.ReadResourceRequest.builder("fx://b/item/7").build()))).isEqualTo("item 7 of b");
    }
    RawMcp raw = gw.raw();
    String sid = raw.initialize();
    JsonNode unknown = raw.post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"resources/read\",\"params\":{\"uri\":\"fx://zzz/doc\"}}", sid)
        .message();
    assertThat(errorCode(unknown)).isEqualTo(-32002);
    assertThat(unknown.path("id").asInt()).isEqualTo(5);
  }

  @Test
  void promptsAndCompletionsAreRoutedToTheirServer() {
    try (McpSyncClient client = gw.sdkClient()) {
      assertThat(client.listPrompts().prompts()).extracting(McpSchema.Prompt::name).contains("a_greet", "b_greet");
      McpSchema.GetPromptResult a = client.getPrompt(McpSchema.GetPromptRequest.builder("a_greet").arguments(Map.of("who", "Ann")).build());
      McpSchema.GetPromptResult b = client.getPrompt(McpSchema.GetPromptRequest.builder("b_greet").arguments(Map.of("who", "Bo")).build());
      assertThat(((McpSchema.TextContent) a.messages().getFirst().content()).text()).isEqualTo("Hello Ann from a");
      assertThat(((McpSchema.TextContent) b.messages().getFirst().content()).text()).isEqualTo("Hello Bo from b");

      McpSchema.CompleteResult byPrompt = client.completeCompletion(McpSchema.CompleteRequest.builder(
          new McpSchema.PromptReference("b_greet"), new McpSchema.CompleteRequest.CompleteArgument("who", "")).build());
      assertThat(byPrompt.completion().values()).containsExactly("b-alice", "b-bob");
      McpSchema.CompleteResult byTemplate = client.completeCompletion(McpSchema.CompleteRequest.builder(
          new McpSchema.ResourceReference("fx://a/item/{id}"), new McpSchema.CompleteRequest.CompleteArgument("id", "")).build());
      assertThat(byTemplate.completion().values()).containsExactly("a-1", "a-2");
    }
  }

  @Test
  void unsafeIconsAreStrippedWhileMetaAndUnknownFieldsPassThrough() {
    RawMcp raw = gw.raw();
    String sid = raw.initialize();
    JsonNode iconic = null;
    String cursor = null;
    do {
      JsonNode result = list(raw, sid, "tools/list", cursor).path("result");
      for (JsonNode t : result.path("tools")) {
        if ("a_iconic".equals(t.path("name").asString())) {
          iconic = t;
        }
      }
      cursor = result.path("nextCursor").asString(null);
    } while (cursor != null && iconic == null);

    assertThat(iconic).isNotNull();
    assertThat(iconic.path("icons").size()).isEqualTo(1);
    assertThat(iconic.path("icons").path(0).path("src").asString()).isEqualTo("https://example.com/icon.png");
    assertThat(iconic.path("_meta").path(ScriptedServer.META_KEY).asString()).isEqualTo("tool-meta");
    assertThat(iconic.path("inputSchema").path("x-fixture-extension").path("kept").asBoolean()).isTrue();

    JsonNode call = raw.post(callBody(9, "a_search", "{\"q\":\"meta\"}"), sid).message();
    JsonNode meta = call.path("result").path("_meta").path(ScriptedServer.META_KEY);
    assertThat(meta.path("server").asString()).isEqualTo("a");
    assertThat(meta.path("n").asInt()).isEqualTo(42);
  }

  @Test
  void theToolSeparatorIsConfigurable() {
    try (McpSyncClient client = dotted.sdkClient()) {
      List<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
      assertThat(names).contains("e.search", "e.add_tool").noneMatch(n -> n.startsWith("e_"));
      assertThat(json(client.callTool(tool("e.search", Map.of()))).path("server").asString())
          .isEqualTo("e");
    }
  }

  /** F-03: a tool added upstream is announced to the client and callable through the gateway. */
  @Test
  void anUpstreamListChangedReachesTheClientAndTheNextListHasTheNewTool() {
    List<List<String>> announced = new CopyOnWriteArrayList<>();
    try (McpSyncClient client = dotted.sdkClient(spec -> spec.toolsChangeConsumer(
        tools -> announced.add(tools.stream().map(McpSchema.Tool::name).toList())))) {
      assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).doesNotContain("e.fresh");
      client.callTool(tool("e.add_tool", Map.of("name", "fresh")));

      // The change is announced at once; the new tool is listed once approved (tool integrity:
      // a tool added after first use waits for an admin, see ToolIntegrityIT).
      await().atMost(15, SECONDS).until(() -> !announced.isEmpty());
      dotted.approveTool("e", "fresh");
      await().atMost(15, SECONDS).untilAsserted(() ->
          assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("e.fresh"));
      assertThat(json(client.callTool(tool("e.fresh", Map.of("x", 1)))).path("tool").asString())
          .isEqualTo("fresh");
    }
  }

  @Test
  void aServerNameTooLongForTheNameRulesIsAConfigurationError(@TempDir Path dir) throws IOException {
    String name33 = "s".repeat(33);
    String name31 = "t".repeat(31);
    String yaml = "tool-separator: \"__\"\nservers:\n"
        + "  " + name33 + ":\n    command: [\"/bin/true\"]\n"
        + "  " + name31 + ":\n    command: [\"/bin/true\"]\n";
    assertThatThrownBy(() -> new ConfigLoader(Map.of(), dir).parse(yaml, "long.yaml", dir))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.errors()).hasSize(2);
          assertThat(e.errors().get(0).path()).contains(name33);
          assertThat(e.errors().get(0).message()).contains("1-32");
          assertThat(e.errors().get(1).path()).contains(name31);
          assertThat(e.errors().get(1).message()).contains("64-character");
        });

    Path file = dir.resolve("long.yaml");
    Files.writeString(file, yaml);
    assertThat(Main.execute("config", "check", file.toString())).isEqualTo(2);
    Path ok = dir.resolve("ok.yaml");
    Files.writeString(ok, "servers:\n  short:\n    command: [\"/bin/true\"]\n");
    assertThat(Main.execute("config", "check", ok.toString())).isZero();
  }

  // ------------------------------------------------------------------ helpers

  private static JsonNode list(RawMcp raw, String sid, String method, String cursor) {
    String params = cursor == null ? "{}" : "{\"cursor\":\"" + cursor + "\"}";
    return raw.post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"" + method + "\",\"params\":" + params + "}", sid).message();
  }

  private static int errorCode(JsonNode response) {
    return response.path("error").path("code").asInt(0);
  }

  /** The same cursor with one character in its middle changed (a full 6 bits of the encoding). */
  private static String tamper(String cursor) {
    int i = cursor.length() / 2;
    char c = cursor.charAt(i);
    char replacement = c == 'A' ? 'B' : (c == '.' ? '.' : 'A');
    if (c == '.') {
      i++;
      replacement = cursor.charAt(i) == 'A' ? 'B' : 'A';
    }
    return cursor.substring(0, i) + replacement + cursor.substring(i + 1);
  }

  private static String text(McpSchema.ReadResourceResult result) {
    return ((McpSchema.TextResourceContents) result.contents().getFirst()).text();
  }
}
