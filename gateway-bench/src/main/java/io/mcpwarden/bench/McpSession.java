package io.mcpwarden.bench;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One client MCP session over Streamable HTTP on its own connection: initialize once, then
 * {@code tools/call echo} as often as asked.
 *
 * <p>The call body is built by hand (it differs only by id) and the answer checked by substring,
 * to keep the client's CPU share small; initialize is parsed properly, since its negotiated
 * version goes into every later request.
 */
final class McpSession implements Closeable {
  static final String REQUESTED_VERSION = "2025-11-25";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ACCEPT = "application/json, text/event-stream";

  private final HttpConnection conn;
  private final int timeoutMillis;
  private String message;
  private String expect;
  private String sessionId;
  private String version;
  private long nextId = 1;
  private long initializedAt;
  private String authorization;

  /**
   * @param messageBytes length of the echoed text (ASCII)
   */
  McpSession(URI url, int timeoutMillis, int messageBytes, String tag) {
    this.conn = new HttpConnection(url, timeoutMillis);
    this.timeoutMillis = timeoutMillis;
    StringBuilder m = new StringBuilder(tag).append(':');
    while (m.length() < messageBytes) {
      m.append((char) ('a' + m.length() % 26));
    }
    this.message = m.toString();
    this.expect = "\"text\":\"" + message + "\"";
  }

  /**
   * Sends {@code Authorization: Bearer token} with every request of this session (initialize
   * included); null (the default) sends no Authorization header.
   */
  McpSession bearer(String token) {
    this.authorization = token == null ? null : "Bearer " + token;
    return this;
  }

  /**
   * Echoes English-like prose (words and sentences) instead of a letter run, so content guards
   * scan text shaped like a real tool result; the answer is then only checked for the session's
   * tag, since guards may wrap or datamark the text.
   */
  McpSession prose(int messageBytes, String tag) {
    this.message = ProseText.of(messageBytes, tag);
    this.expect = tag + ":";
    return this;
  }

  /** Initializes the session and sends notifications/initialized. */
  McpSession open() throws IOException {
    return open(timeoutMillis);
  }

  /**
   * @param setupMillis read timeout while opening: a bridge that starts a server process per
   *     session may take seconds to answer initialize
   */
  McpSession open(int setupMillis) throws IOException {
    conn.timeout(setupMillis);
    String init = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
        + REQUESTED_VERSION + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"warden-loadbench\",\"version\":\"1.0.0\"}}}";
    HttpConnection.Reply r = conn.send("POST", init.getBytes(StandardCharsets.UTF_8), withAuth(
        new String[] {"Content-Type", "application/json", "Accept", ACCEPT}));
    if (r.status() != 200) {
      throw new IOException("initialize: HTTP " + r.status() + " " + new String(r.body(), StandardCharsets.UTF_8));
    }
    JsonNode msg = JSON.readTree(r.message());
    if (!msg.has("result")) {
      throw new IOException("initialize failed: " + r.message());
    }
    initializedAt = System.nanoTime();
    version = msg.path("result").path("protocolVersion").asString(REQUESTED_VERSION);
    sessionId = r.header("mcp-session-id");
    HttpConnection.Reply n = conn.send("POST",
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}".getBytes(StandardCharsets.UTF_8), headers());
    if (n.status() / 100 != 2) {
      throw new IOException("notifications/initialized: HTTP " + n.status());
    }
    conn.timeout(timeoutMillis);
    return this;
  }

  private String[] headers() {
    return withAuth(sessionId == null
        ? new String[] {"Content-Type", "application/json", "Accept", ACCEPT, "MCP-Protocol-Version", version}
        : new String[] {"Content-Type", "application/json", "Accept", ACCEPT, "MCP-Protocol-Version", version,
            "Mcp-Session-Id", sessionId});
  }

  private String[] withAuth(String[] headers) {
    if (authorization == null) {
      return headers;
    }
    String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
    all[headers.length] = "Authorization";
    all[headers.length + 1] = authorization;
    return all;
  }

  /** Calls echo once; false when the answer is not the expected result. */
  boolean callEcho() throws IOException {
    long id = nextId++;
    String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id
        + ",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"" + message + "\"}}}";
    HttpConnection.Reply r = conn.send("POST", body.getBytes(StandardCharsets.UTF_8), headers());
    if (r.status() != 200) {
      return false;
    }
    String m = r.message();
    return m.contains("\"result\"") && m.contains(expect) && m.contains("\"id\":" + id);
  }

  /** {@link System#nanoTime} when the initialize result arrived. */
  long initializedAt() {
    return initializedAt;
  }

  String sessionId() {
    return sessionId;
  }

  /** Ends the session with DELETE (best effort). */
  void delete() {
    if (sessionId != null) {
      try {
        conn.send("DELETE", null, headers());
      } catch (IOException e) {
        // The process is finishing; the server's expiry will clean up.
      }
    }
  }

  @Override
  public void close() {
    conn.close();
  }
}
