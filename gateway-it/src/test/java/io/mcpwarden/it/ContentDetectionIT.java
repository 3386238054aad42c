package io.mcpwarden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpwarden.it.fixture.ContentServer;
import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.RawMcp;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The real detectors on live traffic through HTTP: injected pages blocked, redacted or marked as
 * configured per server and tool (tool results, embedded resources, resource reads, prompts,
 * sampling and elicitation requests during a call), secrets redacted with typed placeholders, personal data redacted or masked,
 * secrets in arguments refused; each with its legitimate twin (a security scanner's honest report,
 * the AWS documentation example key, personal data where it is allowed, a tool allowed to take a
 * secret). Detections are audited with score and reasons, never with the matched text.
 */
@Timeout(180)
class ContentDetectionIT {
  private static GatewayHarness gw;
  private static RawMcp raw;
  private static String sid;

  @BeforeAll
  static void start() {
    gw = GatewayHarness.start("""
        servers:
        %s
            trust: untrusted
        %s
            content:
              pii: mask
              pii-types: { email: redact }
              tools:
                embedded: { injection: redact }
        %s
            content:
              tools:
                vault_put: { secrets-in-arguments: allow }
        """.formatted(ContentArgumentsIT.server("web"), ContentArgumentsIT.server("notes"), ContentArgumentsIT.server("ops")));
    raw = gw.raw();
    sid = ContentArgumentsIT.initialize(raw);
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  // ------------------------------------------------------------------ injection

  @Test
  void blockReplacesAnInjectedResultWithAToolErrorWhileASecurityReportPasses() {
    JsonNode blocked = call("web_page", "{\"kind\":\"injected\"}");
    assertThat(blocked.path("isError").asBoolean()).isTrue();
    String text = blocked.path("content").get(0).path("text").asString();
    assertThat(text).startsWith("The gateway withheld the result of tool web_page").contains("prompt injection")
        .doesNotContain("id_rsa");
    JsonNode verdict = blocked.path("_meta").path("io.mcpwarden/content").path("injection");
    assertThat(verdict.path("flagged").asBoolean()).isTrue();
    assertThat(verdict.path("action").asString()).isEqualTo("block");
    assertThat(verdict.path("score").asDouble()).isGreaterThan(0.6);
    assertThat(verdict.path("reasons").toString()).contains("ignore-instructions");
    assertAudited("deny", "web", "injection block score");

    JsonNode twin = call("web_page", "{\"kind\":\"security\"}");
    assertThat(twin.path("isError").asBoolean(false)).isFalse();
    assertThat(twin.path("content").get(0).path("text").asString()).contains(ContentServer.SECURITY);
  }

  @Test
  void markPassesTheResultWithTheVerdictAndAWarning() {
    JsonNode marked = call("notes_page", "{\"kind\":\"injected\"}");
    assertThat(marked.path("isError").asBoolean(false)).isFalse();
    assertThat(marked.path("content").get(0).path("text").asString()).isEqualTo(ContentServer.INJECTED);
    JsonNode meta = marked.path("_meta").path("io.mcpwarden/content");
    assertThat(meta.path("injection").path("action").asString()).isEqualTo("mark");
    assertThat(meta.path("injection").path("flagged").asBoolean()).isTrue();
    assertThat(meta.path("warning").asString()).contains("prompt injection");
    assertAudited("allow", "notes", "injection mark score");

    JsonNode twin = call("notes_page", "{\"kind\":\"plain\"}");
    assertThat(twin.path("_meta").has("io.mcpwarden/content")).isFalse();
  }

  @Test
  void redactRemovesTheInjectedSpansAndKeepsTheRest() {
    JsonNode redacted = call("notes_embedded", "{\"kind\":\"injected\"}");
    String text = redacted.path("content").get(0).path("resource").path("text").asString();
    assertThat(text).startsWith(ContentServer.INJECTED_FIRST_LINE).endsWith(ContentServer.INJECTED_LAST_LINE)
        .contains("[REMOVED:prompt-injection]").doesNotContainIgnoringCase("ignore all previous").doesNotContain("id_rsa");
    assertThat(redacted.path("_meta").path("io.mcpwarden/content").path("injection").path("action").asString()).isEqualTo("redact");

    JsonNode twin = call("notes_embedded", "{\"kind\":\"security\"}");
    assertThat(twin.path("content").get(0).path("resource").path("text").asString()).isEqualTo(ContentServer.SECURITY);
  }

  @Test
  void resourceReadsAndPromptsOfAnUntrustedServerAreBlockedAsJsonRpcErrors() {
    JsonNode read = rpc("resources/read", "{\"uri\":\"content://web/page/injected\"}");
    assertThat(read.path("error").path("code").asInt()).isEqualTo(-32001);
    assertThat(read.path("error").path("data").path("io.mcpwarden/content").path("injection").path("flagged").asBoolean()).isTrue();
    JsonNode readTwin = rpc("resources/read", "{\"uri\":\"content://web/page/plain\"}");
    assertThat(readTwin.path("result").path("contents").get(0).path("text").asString()).contains(ContentServer.PLAIN);

    JsonNode prompt = rpc("prompts/get", "{\"name\":\"web_review\",\"arguments\":{\"kind\":\"injected\"}}");
    assertThat(prompt.path("error").path("code").asInt()).isEqualTo(-32001);
    JsonNode promptTwin = rpc("prompts/get", "{\"name\":\"web_review\",\"arguments\":{\"kind\":\"security\"}}");
    assertThat(promptTwin.path("result").path("messages").get(0).path("content").path("text").asString()).contains(ContentServer.SECURITY);
  }

  @Test
  void anInjectedSamplingRequestNeverReachesTheClientWhileAnHonestOneDoes() {
    AtomicInteger asked = new AtomicInteger();
    try (McpSyncClient client = gw.sdkClient(spec -> spec
        .capabilities(McpSchema.ClientCapabilities.builder().sampling().build())
        .sampling(req -> {
          asked.incrementAndGet();
          return McpSchema.CreateMessageResult.builder(McpSchema.Role.ASSISTANT,
              McpSchema.TextContent.builder("tulips like sun").build(), "test-model").build();
        }))) {
      McpSchema.CallToolResult injected = client.callTool(McpSchema.CallToolRequest.builder("web_ask")
          .arguments(Map.of("prompt", ContentServer.INJECTED)).build());
      assertThat(asked).hasValue(0);
      assertThat(((McpSchema.TextContent) injected.content().getFirst()).text()).contains("sampling failed")
          .contains("refused by the gateway");
      assertAudited("deny", "web", "injection block score");

      McpSchema.CallToolResult honest = client.callTool(McpSchema.CallToolRequest.builder("web_ask")
          .arguments(Map.of("prompt", "What do tulips need?")).build());
      assertThat(asked).hasValue(1);
      assertThat(((McpSchema.TextContent) honest.content().getFirst()).text()).contains("LLM said: tulips like sun");
    }
  }

  @Test
  void anInjectedElicitationDuringACallNeverReachesTheClientWhileAnHonestOneDoes() {
    AtomicInteger asked = new AtomicInteger();
    try (McpSyncClient client = gw.sdkClient(spec -> spec
        .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
        .elicitation(req -> {
          asked.incrementAndGet();
          return McpSchema.ElicitResult.builder(McpSchema.ElicitResult.Action.ACCEPT).content(Map.of("name", "Jane")).build();
        }))) {
      McpSchema.CallToolResult injected = client.callTool(McpSchema.CallToolRequest.builder("web_confirm")
          .arguments(Map.of("message", ContentServer.INJECTED)).build());
      assertThat(asked).hasValue(0);
      assertThat(((McpSchema.TextContent) injected.content().getFirst()).text()).contains("elicitation failed")
          .contains("Elicitation request refused by the gateway");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gw.auditEvents(Map.of("type", "content.result",
          "decision", "deny", "server", "web", "method", "elicitation/create"))).isNotEmpty());

      McpSchema.CallToolResult honest = client.callTool(McpSchema.CallToolRequest.builder("web_confirm")
          .arguments(Map.of("message", "Which name should the report use?")).build());
      assertThat(asked).hasValue(1);
      assertThat(((McpSchema.TextContent) honest.content().getFirst()).text()).contains("user said: accept").contains("Jane");
    }
  }

  // ------------------------------------------------------------------ secrets and PII

  @Test
  void secretsInResultsBecomeTypedPlaceholdersWhileTheDocumentationExampleKeyStays() {
    JsonNode r = call("notes_secret", "{\"kind\":\"live\"}");
    String text = r.path("content").get(0).path("text").asString();
    assertThat(text).contains("AWS_ACCESS_KEY_ID=[REDACTED:aws-access-key]").contains("GITHUB_TOKEN=[REDACTED:github-token]")
        .doesNotContain(ContentServer.LIVE_AWS_KEY).doesNotContain(ContentServer.LIVE_GITHUB_TOKEN).contains("region=eu-north-1");
    JsonNode redacted = r.path("_meta").path("io.mcpwarden/content").path("redacted");
    assertThat(redacted.path("aws-access-key").asInt()).isEqualTo(1);
    assertThat(redacted.path("github-token").asInt()).isEqualTo(1);
    assertAudited("allow", "notes", "redacted {aws-access-key=1, github-token=1}");
    assertThat(auditText()).doesNotContain(ContentServer.LIVE_AWS_KEY);

    JsonNode twin = call("notes_secret", "{\"kind\":\"docs\"}");
    assertThat(twin.path("content").get(0).path("text").asString()).isEqualTo(ContentServer.SECRET_DOCS);
  }

  @Test
  void structuredContentStringsAreRedactedToo() {
    JsonNode r = call("notes_structured", "{\"kind\":\"plain\"}");
    assertThat(r.path("structuredContent").path("notes").get(0).asString()).contains("[REDACTED:aws-access-key]")
        .doesNotContain(ContentServer.LIVE_AWS_KEY);
    assertThat(r.path("structuredContent").path("body").asString()).isEqualTo(ContentServer.PLAIN);
    assertThat(r.path("content").get(0).path("text").asString()).doesNotContain(ContentServer.LIVE_AWS_KEY);
  }

  @Test
  void personalDataIsRedactedOrMaskedPerTypeWhereConfiguredAndPassesWhereAllowed() {
    String masked = call("notes_pii", "{}").path("content").get(0).path("text").asString();
    assertThat(masked).contains("e-mail [REDACTED:email]").contains("card **** **** **** 6467").doesNotContain(ContentServer.EMAIL);

    String allowed = call("ops_pii", "{}").path("content").get(0).path("text").asString();
    assertThat(allowed).isEqualTo(ContentServer.PII);
  }

  @Test
  void aSecretInTheArgumentsIsRefusedNamingItsTypeUnlessTheToolMayTakeIt() {
    int before = calls("notes", "vault_put");
    JsonNode refused = call("notes_vault_put", "{\"name\":\"aws\",\"value\":\"" + ContentServer.LIVE_AWS_KEY + "\"}");
    assertThat(refused.path("isError").asBoolean()).isTrue();
    assertThat(refused.path("content").get(0).path("text").asString()).contains("argument 'value' contains a secret (aws-access-key)")
        .doesNotContain(ContentServer.LIVE_AWS_KEY);
    assertThat(calls("notes", "vault_put")).isEqualTo(before);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gw.auditEvents(Map.of("type", "content.argument")))
        .anySatisfy(e -> assertThat(e.path("detail").asString()).isEqualTo("secret in arguments: aws-access-key")));

    JsonNode docsKey = call("notes_vault_put", "{\"name\":\"example\",\"value\":\"" + ContentServer.DOCS_AWS_KEY + "\"}");
    assertThat(docsKey.path("isError").asBoolean(false)).isFalse();
    JsonNode allowed = call("ops_vault_put", "{\"name\":\"aws\",\"value\":\"" + ContentServer.LIVE_AWS_KEY + "\"}");
    assertThat(allowed.path("content").get(0).path("text").asString()).isEqualTo("stored aws");
  }

  // ------------------------------------------------------------------ helpers

  private static JsonNode call(String tool, String args) {
    JsonNode msg = rpc("tools/call", "{\"name\":\"" + tool + "\",\"arguments\":" + args + "}");
    assertThat(msg.has("result")).as("%s", msg).isTrue();
    return msg.path("result");
  }

  private static JsonNode rpc(String method, String params) {
    RawMcp.Reply r = raw.post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"" + method + "\",\"params\":" + params + "}", sid);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.message();
  }

  /** How often a fixture server's tool was really called. */
  private static int calls(String server, String tool) {
    return RawMcp.JSON.readTree(call(server + "_calls", "{}").path("content").get(0).path("text").asString()).path(tool).asInt(0);
  }

  private static String auditText() {
    return gw.auditEvents().toString();
  }

  private static void assertAudited(String decision, String server, String detail) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<JsonNode> events = gw.auditEvents(Map.of("type", "content.result", "decision", decision, "server", server));
      assertThat(events).anySatisfy(e -> assertThat(e.path("detail").asString()).contains(detail));
    });
  }
}
