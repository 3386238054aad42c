package io.mcpwarden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mcpwarden.it.support.CliRun;
import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.ScriptedProcess;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Routing under tool integrity, through HTTP with the SDK client: a URI only a withheld resource
 * template describes is refused even with a single resource server (no fallback), and an admin's
 * decision (admin API or the CLI on the store) reaches connected clients as list_changed.
 */
class IntegrityRoutingIT {
  private static final String TOKEN = "it-admin-token-routing-0123456789";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Path dir;
  private static GatewayHarness gw;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("warden-integrity-routing-it");
    Path token = dir.resolve("admin-token");
    Files.writeString(token, TOKEN);
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    // r: the only server with resources (template fx://r/item/{id}); t: tools only. Both wait for approval.
    gw = GatewayHarness.start("sessions:\n  admin-token: file:" + token + "\n"
        + "integrity:\n  store: " + store() + "\n  default-pinning: require-approval\n"
        + "servers:\n"
        + ScriptedProcess.stdioServer("r", "--tools echo")
        + ScriptedProcess.stdioServer("t", "--minimal --tools alpha,beta,gamma"));
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  private static String store() {
    return dir.resolve("integrity.db").toString();
  }

  private static String cli(String... args) {
    CliRun r = CliRun.of(args);
    assertThat(r.exit()).as("exit code of %s (stderr: %s)", List.of(args), r.err()).isZero();
    return r.out();
  }

  private static String read(McpSyncClient client, String uri) {
    McpSchema.ReadResourceResult r = client.readResource(new McpSchema.ReadResourceRequest(uri));
    return ((McpSchema.TextResourceContents) r.contents().get(0)).text();
  }

  private static List<String> names(McpSyncClient client) {
    return client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
  }

  private static HttpResponse<String> adminPost(String pathAndQuery) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(gw.baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build();
    return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aUriOfAWithheldTemplateIsRefusedWhileListedResourcesAndApprovedTemplatesWork() {
    try (McpSyncClient client = gw.sdkClient()) {
      // the legitimate twin: a listed resource is read (concrete resources are not pinned)
      assertThat(read(client, "fx://r/doc")).isEqualTo("doc of r");
      assertThat(client.listResourceTemplates().resourceTemplates()).isEmpty();

      // the attack: r is the only resource server, yet the withheld template's URIs do not reach it
      assertThatThrownBy(() -> read(client, "fx://r/item/42")).isInstanceOfSatisfying(McpError.class, e -> {
        assertThat(e.getJsonRpcError().code()).isEqualTo(-32001);
        assertThat(e.getMessage()).contains("fx://r/item/42").contains("pending approval")
            .contains("mcp-warden tools approve r fx://r/item/{id} --kind resource-template");
      });

      assertThat(cli("tools", "approve", "r", "fx://r/item/{id}", "--kind", "resource-template", "--store", store(), "--as", "alice"))
          .contains("approved");
      // the running gateway sees the CLI's decision within its revision check interval
      await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(McpError.class)
          .untilAsserted(() -> assertThat(read(client, "fx://r/item/42")).isEqualTo("item 42 of r"));
      assertThat(client.listResourceTemplates().resourceTemplates()).extracting(McpSchema.ResourceTemplate::uriTemplate)
          .containsExactly("fx://r/item/{id}");
    }
  }

  @Test
  void anApprovalReachesConnectedClientsAsToolsListChanged() throws Exception {
    List<List<String>> announced = new CopyOnWriteArrayList<>();
    try (McpSyncClient client = gw.sdkClient(b -> b.toolsChangeConsumer(
        tools -> announced.add(tools.stream().map(McpSchema.Tool::name).toList())))) {
      assertThat(names(client)).doesNotContain("t_alpha", "t_beta");

      // through the admin API
      assertThat(adminPost("/admin/tools/approve?server=t&name=alpha&by=it-admin").statusCode()).isEqualTo(200);
      // the SDK re-lists on tools/list_changed and hands the new list to the consumer
      await().atMost(Duration.ofSeconds(10)).until(() -> announced.stream().anyMatch(l -> l.contains("t_alpha")));
      assertThat(names(client)).contains("t_alpha").doesNotContain("t_beta");

      // through the CLI on the store, while the gateway runs
      cli("tools", "approve", "t", "beta", "--store", store(), "--as", "alice");
      await().atMost(Duration.ofSeconds(10)).until(() -> announced.stream().anyMatch(l -> l.contains("t_beta")));
      assertThat(names(client)).contains("t_alpha", "t_beta");

      // the legitimate twin: a rejection of a tool nobody sees changes no visible list and sends nothing
      int before = announced.size();
      cli("tools", "reject", "t", "gamma", "--store", store(), "--as", "alice");
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> announced.size() == before);
    }
  }
}
