package io.mcpwarden.server.cli;

import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.IntegrityConfig;
import io.mcpwarden.server.Gateway;
import io.mcpwarden.server.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The training workload for the launcher's JDK AOT cache (JEP 483/514/515): starts the demo
 * gateway, a second gateway fronting the first over Streamable HTTP, serves a few hundred MCP
 * requests through both, and exits.
 *
 * <p>Why: a JVM started with {@code -XX:AOTCacheOutput} records the classes this run loads and
 * links and the method profiles it gathers; with that cache a later {@code mcp-warden run} starts
 * in about half the time. Two gateways in one JVM cover both backends (stdio to the bundled demo
 * server, HTTP to the first gateway), the front in JSON and SSE answers, config loading and the
 * CLI. Nothing here is part of a served gateway; the launcher runs it once per build (see
 * {@code ./mcp-warden}), and any failure only means starting without the cache.
 */
public final class AotTrainingRun {
  private static final String ACCEPT_BOTH = "application/json, text/event-stream";
  private static final int CALLS = 100;

  private AotTrainingRun() {}

  public static void main(String[] args) throws Exception {
    // The CLI's own classes (picocli model, help rendering) as a run and a config check load them.
    Main.execute("run", "--help");
    Path work = Files.createTempDirectory("mcp-warden-aot");
    int rc = 1;
    try {
      rc = Main.execute("config", "check", ConfigFiles.defaultConfig().toString());
      rc = train(work) && rc == 0 ? 0 : 1;
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    String nativeDir = System.getProperty(NATIVE_DIR_PROPERTY);
    if (rc == 0 && nativeDir != null) {
      extractSqliteLibrary(Path.of(nativeDir));
    }
    System.exit(rc);
  }

  /** Where the launcher wants the SQLite native library extracted (see {@link #extractSqliteLibrary}). */
  static final String NATIVE_DIR_PROPERTY = "warden.sqlite-native-dir";

  /**
   * Copies the SQLite native library that sqlite-jdbc picks for this machine out of the jar into
   * {@code dir}, atomically. Why: without it, sqlite-jdbc extracts the library to the temporary
   * directory at every start, reads both copies back to compare them and runs {@code uname} to
   * tell Android from Linux, about 90 ms of each start; the launcher then points it at this copy
   * ({@code org.sqlite.lib.path}), made from this very jar once per build, like the AOT cache
   * beside it. If that copy cannot be loaded, sqlite-jdbc falls back to extracting its own.
   */
  static void extractSqliteLibrary(Path dir) throws java.io.IOException {
    String name = org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
    String resource = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
    try (java.io.InputStream in = AotTrainingRun.class.getResourceAsStream(resource)) {
      if (in == null) {
        return; // no bundled library for this platform: sqlite-jdbc finds its own way, as before
      }
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, name, ".tmp");
      try {
        Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, dir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private static boolean train(Path work) throws Exception {
    ConfigLoader loader = ConfigLoader.fromEnvironment();
    // Pins go to a scratch store: a training run must not leave decisions in the real one.
    GatewayConfig demo = loader.load(ConfigFiles.defaultConfig()).withPort(0)
        .withIntegrity(new IntegrityConfig(work.resolve("integrity.db"), IntegrityConfig.Pinning.TRUST_ON_FIRST_USE));
    try (Gateway stdioFront = Gateway.start(demo)) {
      Path front = work.resolve("http-front.yaml");
      Files.writeString(front, """
          listen:
            host: 127.0.0.1
            port: 0
            path: /mcp
          audit:
            path: %s
          integrity:
            store: %s
            default-pinning: trust-on-first-use
          servers:
            demo:
              url: %s
              prefix: false
          """.formatted(work.resolve("audit.jsonl"), work.resolve("integrity-front.db"), stdioFront.url()), StandardCharsets.UTF_8);
      try (Gateway httpFront = Gateway.start(loader.load(front))) {
        HttpClient client = new HttpClient();
        client.start();
        try {
          boolean ok = session(client, httpFront.url().toString(), "application/json");
          ok &= session(client, httpFront.url().toString(), ACCEPT_BOTH);
          ok &= session(client, stdioFront.url().toString(), "text/event-stream");
          return ok;
        } finally {
          client.stop();
        }
      }
    }
  }

  /** One client session: initialize, initialized, lists, many tool calls, DELETE. */
  private static boolean session(HttpClient client, String url, String accept) throws Exception {
    ContentResponse init = post(client, url, null, accept, """
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",\
        "capabilities":{},"clientInfo":{"name":"aot-training","version":"1"}}}""");
    String session = init.getHeaders().get("Mcp-Session-Id");
    if (init.getStatus() != 200 || session == null) {
      return false;
    }
    post(client, url, session, accept, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    post(client, url, session, accept, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
    post(client, url, session, accept, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"resources/list\"}");
    post(client, url, session, accept, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"prompts/list\"}");
    post(client, url, session, accept, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}");
    post(client, url, session, accept, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"no/such/method\"}");
    post(client, url, session, accept, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":");
    boolean ok = true;
    for (int i = 0; i < CALLS; i++) {
      ContentResponse r = post(client, url, session, accept, """
          {"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"echo","arguments":{"text":"training %d"}}}"""
          .formatted(100 + i, i));
      ok &= r.getStatus() == 200;
    }
    client.newRequest(url).method(HttpMethod.DELETE).headers(h -> h.put("Mcp-Session-Id", session)
        .put("MCP-Protocol-Version", "2025-11-25")).timeout(10, TimeUnit.SECONDS).send();
    return ok;
  }

  private static ContentResponse post(HttpClient client, String url, String session, String accept, String json) throws Exception {
    Request request = client.newRequest(url).method(HttpMethod.POST).timeout(30, TimeUnit.SECONDS)
        .headers(h -> {
          h.put("Accept", accept);
          if (session != null) {
            h.put("Mcp-Session-Id", session).put("MCP-Protocol-Version", "2025-11-25");
          }
        })
        .body(new StringRequestContent("application/json", json));
    return request.send();
  }
}
