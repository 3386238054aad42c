package io.mcpwarden.it;

import static io.mcpwarden.it.support.CallResults.json;
import static io.mcpwarden.it.support.CallResults.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpwarden.core.secret.SecretStoreException;
import io.mcpwarden.core.secret.StoreKey;
import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.RawMcp;
import io.mcpwarden.it.support.ScriptedProcess;
import io.mcpwarden.server.cli.Main;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Upstream credentials end to end: secrets put in the store with the CLI, a
 * gateway whose HTTP upstream is configured with a static bearer credential from the store and
 * whose stdio upstream gets a secret in its environment. The HTTP fixture records every request's
 * headers: it sees the stored credential, and never the token the client sent to the gateway.
 */
class UpstreamCredentialsIT {
  private static final String UPSTREAM_TOKEN = "upstream-token-from-store-5e1d";
  private static final String STDIO_SECRET = "stdio-secret-from-store-a9b2";
  private static final String CLIENT_TOKEN = "front-client-token-77c1";

  private static Path store;
  private static Path key;
  private static ScriptedProcess upstream;
  private static GatewayHarness gw;

  @BeforeAll
  static void start() throws IOException {
    Path dir = Files.createTempDirectory("warden-secrets-it");
    store = dir.resolve("data/secrets.enc");
    key = dir.resolve("data/secrets.key");
    secretsSet("upstream-token", UPSTREAM_TOKEN + "\n");
    secretsSet("stdio-token", STDIO_SECRET);
    upstream = ScriptedProcess.startHttp("--name", "h", "--tools", "search");
    // The test reads the credentials the upstream received through a tool result, which the
    // content guard would redact (docs/content-guards.md): result redaction off here.
    gw = GatewayHarness.start("content:\n  secrets-in-results: allow\n" + secretsSection(key) + "servers:\n"
        + "  h:\n    url: \"" + upstream.url() + "\"\n"
        + "    auth:\n      type: static\n      value: ${secret:upstream-token}\n"
        + ScriptedProcess.stdioServer("s", "--tools search", "env: {UPSTREAM_TOKEN: \"${secret:stdio-token}\", PLAIN: plain}"));
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private static String secretsSection(Path keyFile) {
    return "secrets:\n  store: \"" + store + "\"\n  key-file: \"" + keyFile + "\"\n";
  }

  /** {@code mcp-warden secrets set NAME} with the value on standard input, as an operator would. */
  private static void secretsSet(String name, String stdin) {
    InputStream in = System.in;
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      int code = Main.execute("secrets", "set", name, "--store", store.toString(), "--key-file", key.toString());
      assertThat(code).as("secrets set " + name).isZero();
    } finally {
      System.setIn(in);
    }
  }

  private static McpSyncClient clientSending(String authorization) {
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(gw.baseUrl())
        .endpoint(gw.gateway().config().listen().path())
        .addHttpRequestCustomizer((builder, method, uri, body, context) -> builder.header("Authorization", authorization))
        .build();
    McpSyncClient client = McpClient.sync(transport)
        .clientInfo(McpSchema.Implementation.builder("warden-it-credentials", "1.0").build())
        .requestTimeout(Duration.ofSeconds(30))
        .build();
    client.initialize();
    return client;
  }

  @Test
  void theUpstreamGetsTheStoredCredentialAndNeverTheClientsToken() {
    RawMcp raw = gw.raw();
    Map<String, String> headers = RawMcp.std(null);
    headers.put("Authorization", "Bearer " + CLIENT_TOKEN);
    assertThat(raw.post(RawMcp.INIT, headers).status()).isEqualTo(200);

    try (McpSyncClient client = clientSending("Bearer " + CLIENT_TOKEN)) {
      JsonNode seen = json(client.callTool(tool("h_headers", Map.of())));
      assertThat(seen.path("current").path("authorization").asString()).isEqualTo("Bearer " + UPSTREAM_TOKEN);
      List<String> values = new ArrayList<>();
      int requests = 0;
      for (JsonNode request : seen.path("all")) {
        requests++;
        JsonNode h = request.path("headers");
        assertThat(h.path("authorization").asString()).as("credential on %s", request).isEqualTo("Bearer " + UPSTREAM_TOKEN);
        h.forEach(v -> values.add(v.asString()));
      }
      assertThat(requests).as("initialize, initialized, calls of two sessions").isGreaterThanOrEqualTo(4);
      assertThat(values).noneMatch(v -> v.contains(CLIENT_TOKEN));
    }
  }

  @Test
  void aStdioServerGetsItsSecretInItsEnvironmentAndNothingElse() {
    try (McpSyncClient client = gw.sdkClient()) {
      JsonNode env = json(client.callTool(tool("s_whoami", Map.of()))).path("env");
      assertThat(env.path("UPSTREAM_TOKEN").asString()).isEqualTo(STDIO_SECRET);
      assertThat(env.path("PLAIN").asString()).isEqualTo("plain");
      assertThat(env.toString()).doesNotContain(UPSTREAM_TOKEN).doesNotContain("MCP_WARDEN_SECRETS_KEY");
    }
  }

  @Test
  void noSecretValueAppearsInTheLoadedConfigurationOrTheAuditLog() {
    try (McpSyncClient client = clientSending("Bearer " + CLIENT_TOKEN)) {
      client.callTool(tool("h_search", Map.of("q", "audit me")));
    }
    String config = gw.gateway().config().toString();
    assertThat(config).contains("upstream-token").doesNotContain(UPSTREAM_TOKEN).doesNotContain(STDIO_SECRET);
    String audit = gw.auditEvents().toString();
    assertThat(audit).isNotEmpty().doesNotContain(UPSTREAM_TOKEN).doesNotContain(STDIO_SECRET).doesNotContain(CLIENT_TOKEN);
  }

  @Test
  void aMissingSecretStopsTheStartNamingIt() {
    assertThatThrownBy(() -> GatewayHarness.start(secretsSection(key) + "servers:\n"
        + "  h:\n    url: \"" + upstream.url() + "\"\n    auth: {type: static, value: '${secret:upstream-token}'}\n"
        + "  h2:\n    url: \"" + upstream.url() + "\"\n    auth: {type: static, header: X-Key, value: '${secret:not-stored}'}\n"))
        .isInstanceOf(SecretStoreException.class)
        .hasMessageContaining("[not-stored]")
        .hasMessageNotContaining(UPSTREAM_TOKEN);
  }

  @Test
  void aWrongKeyStopsTheStart() throws IOException {
    Path otherKey = store.resolveSibling("other.key");
    if (!Files.exists(otherKey)) {
      StoreKey.generate().writeNewFile(otherKey);
    }
    assertThatThrownBy(() -> GatewayHarness.start(secretsSection(otherKey) + "servers:\n"
        + "  h:\n    url: \"" + upstream.url() + "\"\n    auth: {type: static, value: '${secret:upstream-token}'}\n"))
        .isInstanceOf(SecretStoreException.class)
        .hasMessageContaining("wrong key");
  }

  @Test
  void withoutSecretReferencesNoStoreOrKeyIsNeeded() {
    GatewayHarness plain = GatewayHarness.start("secrets:\n  store: /nonexistent/s.enc\n  key-file: /nonexistent/s.key\nservers:\n"
        + "  h:\n    url: \"" + upstream.url() + "\"\n");
    try (McpSyncClient client = plain.sdkClient()) {
      assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("h_search");
    } finally {
      plain.close();
    }
  }
}
