package io.mcpwarden.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A deliberately low-level MCP-over-HTTP client for tests that must send what no SDK would:
 * wrong headers, malformed bodies, stolen session ids, resumption with Last-Event-ID.
 *
 * <p>Headers {@code Host} and {@code Content-Length} cannot be set through java.net.http; tests of
 * those use a raw socket ({@link #rawRequest}).
 */
public final class RawMcp {
  public static final JsonMapper JSON = JsonMapper.builder().build();
  public static final String INIT =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
          + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

  private final URI url;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  RawMcp(URI url) {
    this.url = url;
  }

  public URI url() {
    return url;
  }

  /** An HTTP reply with its body read fully. */
  public record Reply(int status, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().getFirst();
        }
      }
      return null;
    }

    public JsonNode json() {
      return JSON.readTree(body);
    }

    /** The data payloads of an SSE body, parsed as JSON (empty data, e.g. priming, skipped). */
    public List<JsonNode> sseMessages() {
      List<JsonNode> out = new ArrayList<>();
      for (SseEvent e : SseEvent.parseAll(body)) {
        if (!e.data().isBlank()) {
          out.add(JSON.readTree(e.data()));
        }
      }
      return out;
    }

    /** The one JSON-RPC message of a JSON body, or the last message of an SSE body. */
    public JsonNode message() {
      String ct = header("Content-Type");
      if (ct != null && ct.startsWith("text/event-stream")) {
        List<JsonNode> all = sseMessages();
        return all.isEmpty() ? null : all.getLast();
      }
      return json();
    }
  }

  /** One SSE event. */
  public record SseEvent(String id, String event, String data) {
    static List<SseEvent> parseAll(String body) {
      List<SseEvent> out = new ArrayList<>();
      String id = null;
      String event = null;
      StringBuilder data = null;
      for (String line : body.split("\r?\n", -1)) {
        if (line.isEmpty()) {
          if (data != null || id != null) {
            out.add(new SseEvent(id, event, data == null ? "" : data.toString()));
          }
          id = null;
          event = null;
          data = null;
        } else if (line.startsWith(":")) {
          continue;
        } else {
          int c = line.indexOf(':');
          String field = c < 0 ? line : line.substring(0, c);
          String value = c < 0 ? "" : line.substring(c + 1).replaceFirst("^ ", "");
          switch (field) {
            case "id" -> id = value;
            case "event" -> event = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> { }
          }
        }
      }
      return out;
    }
  }

  /** Standard MCP headers for a session (null session: none). */
  public static Map<String, String> std(String sessionId) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json");
    h.put("Accept", "application/json, text/event-stream");
    h.put("MCP-Protocol-Version", "2025-11-25");
    if (sessionId != null) {
      h.put("Mcp-Session-Id", sessionId);
    }
    return h;
  }

  public Reply post(String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return send(b.build());
  }

  public Reply post(String body, String sessionId) {
    return post(body, std(sessionId));
  }

  public Reply delete(Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).DELETE();
    headers.forEach(b::header);
    return send(b.build());
  }

  /** Initializes a session (and sends notifications/initialized); returns its id. */
  public String initialize() {
    Reply r = post(INIT, std(null));
    if (r.status() != 200) {
      throw new IllegalStateException("initialize failed: " + r.status() + " " + r.body());
    }
    String sid = r.header("Mcp-Session-Id");
    post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", sid);
    return sid;
  }

  /** Opens a GET SSE stream; the caller reads events from it and closes it. */
  public SseStream openGet(Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).GET();
    headers.forEach(b::header);
    try {
      HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      return new SseStream(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Opens a POST whose reply is read incrementally as SSE (for slow tools, cut connections). */
  public SseStream openPost(String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    try {
      return new SseStream(http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An SSE response read event by event. */
  public static final class SseStream implements AutoCloseable {
    private final HttpResponse<InputStream> response;
    private final BufferedReader reader;

    SseStream(HttpResponse<InputStream> response) {
      this.response = response;
      this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    public int status() {
      return response.statusCode();
    }

    public String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    /** The next event (blocking), or null at end of stream. Comments are skipped. */
    public SseEvent next() {
      try {
        String id = null;
        String event = null;
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.isEmpty()) {
            if (data != null || id != null) {
              return new SseEvent(id, event, data == null ? "" : data.toString());
            }
            continue;
          }
          if (line.startsWith(":")) {
            continue;
          }
          int c = line.indexOf(':');
          String field = c < 0 ? line : line.substring(0, c);
          String value = c < 0 ? "" : line.substring(c + 1).replaceFirst("^ ", "");
          switch (field) {
            case "id" -> id = value;
            case "event" -> event = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> { }
          }
        }
        return null;
      } catch (IOException e) {
        return null;
      }
    }

    /** The next event carrying a JSON message (skips priming events). */
    public JsonNode nextMessage() {
      SseEvent e;
      while ((e = next()) != null) {
        if (!e.data().isBlank()) {
          return JSON.readTree(e.data());
        }
      }
      return null;
    }

    @Override
    public void close() {
      try {
        response.body().close();
      } catch (IOException ignored) {
        // closing a cut stream may fail; nothing to do
      }
    }
  }

  /**
   * Sends a hand-written HTTP/1.1 request over a socket and returns the status line and headers
   * block plus body, for headers java.net.http refuses to set (Host, Content-Length).
   */
  public static String rawRequest(int port, String request) {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Reply send(HttpRequest req) {
    try {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
