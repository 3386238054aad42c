package io.mcpwarden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mcpwarden.core.auth.DevIssuer;
import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.ScriptedProcess;
import io.mcpwarden.server.cli.Main;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The access policy through HTTP with the official SDK as client and two users told apart by
 * their token (development issuer): alice has {@code mcp:tools}, root also {@code files.admin}.
 * A denied call is a clear JSON-RPC error, audited; a list shows a user only what they may call;
 * an evaluation error denies; a changed policy file is put in force, a broken one is not; a
 * reload that changes a user's visible list is announced to that user with list_changed, and to
 * nobody whose list stays the same; the same rules pass {@code mcp-warden policy test}. Each
 * refusal has a legitimate twin.
 */
@Timeout(120)
class PolicyIT {
  private static final String POLICY = """
      default: deny
      rules:
        - name: admins-wipe
          effect: allow
          when: "tool.name == 'wipe' && 'files.admin' in principal.scopes"
        - name: restricted-needs-admin
          effect: deny
          when: "tool.classification == 'restricted' || (kind != 'tool' && server.classification == 'confidential' && !('files.admin' in principal.scopes))"
          reason: restricted and confidential items need the files.admin scope
        - name: no-secrets-in-echo
          effect: deny
          when: "tool.name == 'echo' && has(arguments.text) && arguments.text.contains('secret')"
          reason: no secrets through echo
        - name: small-sums
          effect: deny
          when: "tool.name == 'add' && arguments.a > 100"
          reason: sums over 100 are not for this gateway
        - name: signed-in
          effect: allow
          when: "principal.authenticated"
      """;

  private static GatewayHarness gw;
  private static DevIssuer issuer;
  private static Path dir;
  private static Path policyFile;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("warden-policy");
    policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, POLICY);
    gw = GatewayHarness.start("""
        auth:
          required-scopes: [mcp:tools]
          dev-issuer:
            enabled: true
            key-file: %s
        policy:
          file: %s
          reload-interval: 200ms
        servers:
        """.formatted(dir.resolve("dev-key.json"), policyFile)
        + ScriptedProcess.stdioServer("a", "--tools echo,add,wipe",
            "tools:", "  wipe: {classification: restricted, labels: [destructive]}")
        + ScriptedProcess.stdioServer("b", "--tools echo", "classification: confidential"),
        Clock.systemUTC(), UnaryOperator.identity());
    issuer = DevIssuer.open(dir.resolve("dev-key.json"), gw.baseUrl(), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  private static McpSyncClient client(String user, String... scopes) {
    return client(user, UnaryOperator.identity(), scopes);
  }

  private static McpSyncClient client(String user, UnaryOperator<McpClient.SyncSpec> spec, String... scopes) {
    String token = issuer.mint(user, List.of(scopes), gw.url().toString(), Duration.ofHours(1));
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(gw.baseUrl())
        .endpoint("/mcp")
        .addHttpRequestCustomizer((builder, method, uri, body, ctx) -> builder.setHeader("Authorization", "Bearer " + token))
        .build();
    McpSyncClient client = spec.apply(McpClient.sync(transport).clientInfo(McpSchema.Implementation.builder("policy-it", "1").build())
        .requestTimeout(Duration.ofSeconds(30))).build();
    client.initialize();
    return client;
  }

  private static McpSyncClient alice() {
    return client("alice", "mcp:tools");
  }

  private static McpSyncClient root() {
    return client("root", "mcp:tools", "files.admin");
  }

  private static List<String> toolNames(McpSyncClient c) {
    return names(c.listTools().tools());
  }

  private static List<String> names(List<McpSchema.Tool> tools) {
    return tools.stream().map(McpSchema.Tool::name).toList();
  }

  private static McpSchema.CallToolResult call(McpSyncClient c, String tool, Map<String, Object> args) {
    return c.callTool(McpSchema.CallToolRequest.builder(tool).arguments(args).build());
  }

  private static void assertDenied(McpSyncClient c, String tool, Map<String, Object> args, String reason) {
    assertThatThrownBy(() -> call(c, tool, args)).isInstanceOfSatisfying(McpError.class, e -> {
      assertThat(e.getJsonRpcError().code()).isEqualTo(-32001);
      assertThat(e.getMessage()).contains("Denied by policy").contains(reason);
    });
  }

  private static void assertServed(McpSchema.CallToolResult r) {
    assertThat(r.isError()).isNotEqualTo(Boolean.TRUE);
  }

  // ------------------------------------------------------------------ deny and filter

  @Test
  void aRestrictedToolIsHiddenAndRefusedForAliceWhileRootSeesAndCallsIt() {
    try (McpSyncClient alice = alice(); McpSyncClient root = root()) {
      assertThat(toolNames(alice)).contains("a_echo", "a_add", "b_echo").doesNotContain("a_wipe");
      assertDenied(alice, "a_wipe", Map.of(), "restricted and confidential items need the files.admin scope");

      assertThat(toolNames(root)).contains("a_echo", "a_add", "b_echo", "a_wipe");
      assertServed(call(root, "a_wipe", Map.of()));
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(gw.auditEvents(Map.of("type", "mcp.request", "decision", "deny", "method", "tools/call"))).anySatisfy(e -> {
          assertThat(e.path("subject").asString()).startsWith("alice [");
          assertThat(e.path("server").asString()).isEqualTo("a");
          assertThat(e.path("target").asString()).isEqualTo("wipe");
          assertThat(e.path("detail").asString()).contains("rule restricted-needs-admin");
        }));
  }

  @Test
  void promptsAndResourcesOfAConfidentialServerAreHiddenAndRefusedWithoutTheScope() {
    try (McpSyncClient alice = alice(); McpSyncClient root = root()) {
      assertThat(alice.listPrompts().prompts()).extracting(McpSchema.Prompt::name).contains("a_greet").doesNotContain("b_greet");
      assertThat(alice.listResources().resources()).extracting(McpSchema.Resource::uri).contains("fx://a/doc").doesNotContain("fx://b/doc");
      assertThatThrownBy(() -> alice.getPrompt(new McpSchema.GetPromptRequest("b_greet", Map.of("who", "x"))))
          .isInstanceOfSatisfying(McpError.class, e -> assertThat(e.getMessage()).contains("Denied by policy"));
      assertThatThrownBy(() -> alice.readResource(new McpSchema.ReadResourceRequest("fx://b/doc")))
          .isInstanceOfSatisfying(McpError.class, e -> assertThat(e.getMessage()).contains("Denied by policy"));
      assertThat(alice.readResource(new McpSchema.ReadResourceRequest("fx://a/doc")).contents()).isNotEmpty();

      assertThat(root.listPrompts().prompts()).extracting(McpSchema.Prompt::name).contains("a_greet", "b_greet");
      assertThat(root.readResource(new McpSchema.ReadResourceRequest("fx://b/doc")).contents()).isNotEmpty();
    }
  }

  @Test
  void aRuleOnArgumentsRefusesTheCallButKeepsTheToolListed() {
    try (McpSyncClient alice = alice()) {
      assertThat(toolNames(alice)).contains("a_echo");
      assertDenied(alice, "a_echo", Map.of("text", "my secret"), "no secrets through echo");
      assertServed(call(alice, "a_echo", Map.of("text", "hello")));
    }
  }

  @Test
  void anEvaluationErrorDeniesTheCallAndIsAudited() {
    try (McpSyncClient alice = alice()) {
      // "a" is a string: 'arguments.a > 100' cannot be evaluated, so the call is refused.
      assertDenied(alice, "a_add", Map.of("a", "lots", "b", 1), "fail closed");
      assertServed(call(alice, "a_add", Map.of("a", 1, "b", 2)));
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(gw.auditEvents(Map.of("type", "mcp.request", "decision", "deny", "target", "add"))).anySatisfy(e ->
            assertThat(e.path("detail").asString()).contains("policy evaluation failed in rule small-sums").contains("fail closed")));
  }

  // ------------------------------------------------------------------ reload

  @Test
  void aChangedPolicyFileIsPutInForceAndABrokenOneIsNot() throws IOException {
    long before = gw.gateway().policy().version();
    try {
      Files.writeString(policyFile, POLICY + "  - name: broken\n    effect: deny\n    when: \"tool.name ==\"\n");
      assertThatThrownBy(() -> gw.gateway().reloadPolicy()).hasMessageContaining("rules[5].when: line 1, column 13");
      assertThat(gw.gateway().policy().version()).isEqualTo(before);
      try (McpSyncClient alice = alice()) {
        assertServed(call(alice, "a_echo", Map.of("text", "hello"))); // the old policy still serves
      }

      // alice may now wipe: the watcher picks the file up and swaps the policy.
      Files.writeString(policyFile, POLICY.replace("'files.admin' in principal.scopes\"", "principal.subject == 'alice'\""));
      await().atMost(Duration.ofSeconds(20)).until(() -> gw.gateway().policy().version() > before);
      try (McpSyncClient alice = alice()) {
        assertThat(toolNames(alice)).contains("a_wipe");
        assertServed(call(alice, "a_wipe", Map.of()));
      }
    } finally {
      Files.writeString(policyFile, POLICY);
      gw.gateway().reloadPolicy();
    }
    try (McpSyncClient alice = alice()) {
      assertThat(toolNames(alice)).doesNotContain("a_wipe");
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(gw.auditEvents(Map.of("type", "policy.reload"))).extracting(e -> e.path("decision").asString()).contains("error", "allow"));
  }

  @Test
  void aReloadThatHidesAToolFromAliceAnnouncesItToHerAndToNobodyWhoseListStaysTheSame() throws IOException {
    // What the SDK hands its consumers: it re-lists on each list_changed it receives.
    List<List<String>> aliceTools = new CopyOnWriteArrayList<>();
    AtomicInteger alicePrompts = new AtomicInteger();
    List<List<String>> rootTools = new CopyOnWriteArrayList<>();
    try (McpSyncClient alice = client("alice", s -> s.toolsChangeConsumer(t -> aliceTools.add(names(t)))
            .promptsChangeConsumer(p -> alicePrompts.incrementAndGet()), "mcp:tools");
        McpSyncClient root = client("root", s -> s.toolsChangeConsumer(t -> rootTools.add(names(t))), "mcp:tools", "files.admin")) {
      assertThat(toolNames(alice)).contains("a_echo", "a_add");
      assertThat(alice.listPrompts().prompts()).isNotEmpty();
      assertThat(toolNames(root)).contains("a_echo", "a_add", "a_wipe");
      try {
        // add becomes an admin tool: alice loses it; root's list and alice's prompts stay as they were
        Files.writeString(policyFile, POLICY.replace("  - name: signed-in", "  - name: add-for-admins\n    effect: deny\n"
            + "    when: \"kind == 'tool' && tool.name == 'add' && !('files.admin' in principal.scopes)\"\n"
            + "    reason: sums are for admins now\n  - name: signed-in"));
        gw.gateway().reloadPolicy();
        await().atMost(Duration.ofSeconds(10)).until(() -> aliceTools.stream().anyMatch(l -> l.contains("a_echo") && !l.contains("a_add")));
        assertThat(toolNames(alice)).contains("a_echo").doesNotContain("a_add");
        assertDenied(alice, "a_add", Map.of("a", 1, "b", 2), "sums are for admins now");

        // the legitimate twins: lists the reload did not change are not announced
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> rootTools.isEmpty() && alicePrompts.get() == 0);
        assertThat(toolNames(root)).contains("a_add");
        assertServed(call(root, "a_add", Map.of("a", 1, "b", 2)));
      } finally {
        Files.writeString(policyFile, POLICY);
        gw.gateway().reloadPolicy();
      }
      // putting the old policy back gives alice her tool back, announced the same way
      await().atMost(Duration.ofSeconds(10)).until(() -> !aliceTools.isEmpty() && aliceTools.getLast().contains("a_add"));
      assertThat(rootTools).isEmpty();
    }
  }

  // ------------------------------------------------------------------ policy test

  @Test
  void theSameRulesPassThePolicyTestCommandAndAWrongExpectationFails() throws IOException {
    // The gateway's own configuration (labels included), as an operator would test it in CI.
    Files.writeString(dir.resolve("gateway.yaml"), """
        servers:
          a:
            command: [fixture]
            tools:
              wipe: {classification: restricted, labels: [destructive]}
          b:
            command: [fixture]
            classification: confidential
        policy:
          file: %s
        """.formatted(policyFile));
    String cases = """
        config: gateway.yaml
        cases:
          - {name: alice cannot wipe, principal: {subject: alice, scopes: [mcp:tools]}, server: a, tool: wipe, expect: deny, rule: restricted-needs-admin}
          - {name: root wipes, principal: {subject: root, scopes: [mcp:tools, files.admin]}, server: a, tool: wipe, expect: allow, rule: admins-wipe}
          - {name: echo stays listed, principal: {subject: alice}, server: a, tool: echo, list: true, expect: allow}
          - {name: no secrets, principal: {subject: alice}, server: a, tool: echo, arguments: {text: a secret}, expect: deny}
          - {name: a string sum fails closed, principal: {subject: alice}, server: a, tool: add, arguments: {a: x}, expect: deny, reason: fail closed}
        """;
    Path good = Files.writeString(dir.resolve("cases.yaml"), cases);
    StringWriter out = new StringWriter();
    int code = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true))
        .execute("policy", "test", good.toString());
    assertThat(code).as(out.toString()).isZero();
    assertThat(out.toString()).contains("5 passed, 0 failed");

    Path bad = Files.writeString(dir.resolve("bad.yaml"), cases.replace("tool: wipe, expect: allow", "tool: wipe, expect: deny"));
    StringWriter out2 = new StringWriter();
    int failed = Main.commandLine().setOut(new PrintWriter(out2, true)).setErr(new PrintWriter(out2, true))
        .execute("policy", "test", bad.toString());
    assertThat(failed).isEqualTo(1);
    assertThat(out2.toString()).contains("FAIL  root wipes: expected deny; got allow (rule admins-wipe");
  }
}
