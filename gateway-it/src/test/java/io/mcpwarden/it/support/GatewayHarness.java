package io.mcpwarden.it.support;

import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.integrity.ItemKind;
import io.mcpwarden.core.integrity.PinApprovals;
import io.mcpwarden.core.integrity.PinKey;
import io.mcpwarden.core.integrity.SqlToolPinStore;
import io.mcpwarden.server.Gateway;
import io.mcpwarden.server.config.ConfigLoader;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts a real gateway in this JVM from a YAML text, listening on a free loopback port, and
 * gives tests a raw HTTP client and an official MCP SDK client for it.
 *
 * <p>Tests talk to it only through HTTP, as a client would; the in-process start just saves a
 * JVM launch per test class.
 */
public final class GatewayHarness implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Gateway gateway;
  private final Path auditFile;
  private final Path workDir;

  private GatewayHarness(Gateway gateway, Path auditFile, Path workDir) {
    this.gateway = gateway;
    this.auditFile = auditFile;
    this.workDir = workDir;
  }

  /** The repository root (failsafe runs in the gateway-it module directory). */
  public static Path repoRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("mvnw")) ? here : here.getParent();
  }

  /** A servers block entry running the bundled demo server over stdio. */
  public static String demoServer(String name) {
    return "  " + name + ":\n    command: [\"${java}\", \"-XX:TieredStopAtLevel=1\", \"-jar\", \"${warden.home}/demo-server/target/demo-server.jar\"]\n";
  }

  /**
   * Starts a gateway. The YAML must not set {@code listen.port} or {@code audit}: the harness
   * picks a free port and writes the audit log to a temporary file.
   *
   * @param yaml configuration text; {@code ${warden.home}} is the repository root
   */
  public static GatewayHarness start(String yaml) {
    return start(yaml, Clock.systemUTC(), UnaryOperator.identity());
  }

  public static GatewayHarness start(String yaml, Clock clock, UnaryOperator<GatewayConfig> adjust) {
    try {
      Path dir = Files.createTempDirectory("warden-it");
      Path audit = dir.resolve("audit.jsonl");
      String full = yaml + (yaml.contains("\naudit:") || yaml.startsWith("audit:") ? "" : "\naudit:\n  path: " + audit + "\n");
      // Each gateway pins into its own store; tests of other features trust their fixtures on first use.
      full += yaml.contains("\nintegrity:") || yaml.startsWith("integrity:") ? ""
          : "\nintegrity:\n  store: " + dir.resolve("integrity.db") + "\n  default-pinning: trust-on-first-use\n";
      GatewayConfig cfg = new ConfigLoader(System.getenv(), repoRoot()).parse(full, "test.yaml", dir).withPort(0);
      Gateway g = Gateway.start(adjust.apply(cfg), clock);
      return new GatewayHarness(g, audit, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A gateway fronting the demo server as {@code demo}. */
  public static GatewayHarness demo() {
    return start("servers:\n" + demoServer("demo"));
  }

  public Gateway gateway() {
    return gateway;
  }

  /** The MCP endpoint, e.g. {@code http://127.0.0.1:PORT/mcp}. */
  public URI url() {
    return gateway.url();
  }

  /** Base URL without the path (for SDK transports that take base + endpoint). */
  public String baseUrl() {
    return gateway.config().listen().scheme() + "://127.0.0.1:" + gateway.port();
  }

  public Path workDir() {
    return workDir;
  }

  /** A raw HTTP client speaking to the endpoint. */
  public RawMcp raw() {
    return new RawMcp(url());
  }

  /** An initialized official SDK client (sync), with a 30 s request timeout. */
  public McpSyncClient sdkClient() {
    return sdkClient(b -> b);
  }

  /** An initialized SDK client after the given customisation (capabilities, handlers, ...). */
  public McpSyncClient sdkClient(UnaryOperator<McpClient.SyncSpec> customize) {
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(baseUrl()).endpoint(gateway.config().listen().path()).build();
    McpClient.SyncSpec spec = McpClient.sync(transport)
        .clientInfo(new McpSchema.Implementation("warden-it", "1.0"))
        .requestTimeout(Duration.ofSeconds(30));
    McpSyncClient client = customize.apply(spec).build();
    client.initialize();
    return client;
  }

  /** Audit events written so far (the log is flushed asynchronously; poll with Awaitility). */
  public List<JsonNode> auditEvents() {
    try {
      if (!Files.exists(auditFile)) {
        return List.of();
      }
      return Files.readAllLines(auditFile).stream().filter(l -> !l.isBlank()).map(JSON::readTree).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Audit events whose fields equal all the given values. */
  public List<JsonNode> auditEvents(Map<String, String> match) {
    return auditEvents().stream()
        .filter(e -> match.entrySet().stream().allMatch(m -> m.getValue().equals(e.path(m.getKey()).asString(null))))
        .toList();
  }

  /**
   * Approves a tool the gateway holds back (for example one added after first use), as an admin
   * would with {@code mcp-warden tools approve}: for tests of other features that add tools while
   * the gateway runs. Waits until the gateway has seen the tool (a list request after the server's
   * list_changed makes it fetch); the gateway applies the decision within a second.
   */
  public void approveTool(String server, String name) {
    Path db = gateway.config().integrity().store();
    PinKey key = new PinKey(server, ItemKind.TOOL, name);
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> {
      try (SqlToolPinStore store = SqlToolPinStore.sqlite(db)) {
        return store.find(key).isPresent();
      }
    });
    try (SqlToolPinStore store = SqlToolPinStore.sqlite(db)) {
      new PinApprovals(store, Clock.systemUTC()).decide(key, true, "it-harness", "approved by the test");
    }
  }

  @Override
  public void close() {
    gateway.close();
  }
}
