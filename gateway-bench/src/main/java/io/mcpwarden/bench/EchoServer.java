package io.mcpwarden.bench;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fast upstream of the load benchmark: a minimal MCP server with one {@code echo} tool.
 *
 * <p>Minimal on purpose, so that a run through the gateway or a stdio bridge measures the bridge:
 * every answer is one small JSON object, HTTP answers are always {@code application/json} (never
 * SSE), and there is no standalone GET stream (405). Usage:
 *
 * <pre>
 *   EchoServer http [port]   Streamable HTTP on http://127.0.0.1:port/mcp (0: any free port);
 *                            prints "LISTENING port" on stdout once ready
 *   EchoServer stdio         newline-delimited JSON-RPC on stdin/stdout; exits when stdin closes
 * </pre>
 */
public final class EchoServer {
  static final String PATH = "/mcp";
  private static final int MAX_BODY = 1 << 20;

  private EchoServer() {}

  public static void main(String[] args) throws Exception {
    // Nothing but protocol (stdio) or the LISTENING line (http) may reach stdout.
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
      System.setProperty("slf4j.internal.verbosity", "WARN");
    }
    PrintStream stdout = System.out;
    System.setOut(System.err);
    String mode = args.length > 0 ? args[0] : "";
    switch (mode) {
      case "stdio" -> runStdio(new FileInputStream(FileDescriptor.in),
          new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024));
      case "http" -> {
        Server server = startHttp(args.length > 1 ? Integer.parseInt(args[1]) : 0);
        stdout.println("LISTENING " + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
        stdout.flush();
        server.join();
      }
      default -> {
        System.err.println("usage: EchoServer http [port] | stdio");
        System.exit(2);
      }
    }
  }

  // ------------------------------------------------------------------ stdio

  /**
   * Answers line by line until end of input. Output is flushed only when no further input is
   * already buffered, so a burst of requests costs one write, as a careful server would do.
   */
  static void runStdio(InputStream in, OutputStream out) throws IOException {
    EchoProtocol protocol = new EchoProtocol();
    byte[] buf = new byte[64 * 1024];
    int start = 0;
    int end = 0;
    while (true) {
      int nl = indexOf(buf, start, end, (byte) '\n');
      if (nl < 0) {
        if (start > 0) {
          System.arraycopy(buf, start, buf, 0, end - start);
          end -= start;
          start = 0;
        } else if (end == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
          out.flush();
          return;
        }
        end += n;
        continue;
      }
      int lineEnd = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
      int lineStart = start;
      start = nl + 1;
      if (lineEnd > lineStart) {
        JsonNode msg = protocol.parse(buf, lineStart, lineEnd - lineStart);
        ObjectNode answer = msg == null ? EchoProtocol.error(null, -32700, "Parse error") : protocol.answer(msg);
        if (answer != null) {
          out.write(protocol.write(answer));
          out.write('\n');
        }
      }
      if (indexOf(buf, start, end, (byte) '\n') < 0 && in.available() == 0) {
        out.flush();
      }
    }
  }

  private static int indexOf(byte[] buf, int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (buf[i] == b) {
        return i;
      }
    }
    return -1;
  }

  // ------------------------------------------------------------------ HTTP

  /** Starts the HTTP mode on 127.0.0.1 and returns the running server. */
  static Server startHttp(int port) throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool(32, 4);
    pool.setName("echo");
    Server server = new Server(pool);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.setIdleTimeout(120_000);
    server.addConnector(connector);
    server.setHandler(new McpHandler(new EchoProtocol()));
    server.start();
    return server;
  }

  /** Streamable HTTP, reduced to what a JSON-only server without server-initiated messages needs. */
  private static final class McpHandler extends Handler.Abstract.NonBlocking {
    private final EchoProtocol protocol;
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();

    McpHandler(EchoProtocol protocol) {
      this.protocol = protocol;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      if (!PATH.equals(Request.getPathInContext(request))) {
        return false;
      }
      String session = request.getHeaders().get("Mcp-Session-Id");
      switch (request.getMethod()) {
        case "POST" -> Content.Source.asByteArrayAsync(request, MAX_BODY, Promise.Invocable.from(
            Invocable.InvocationType.NON_BLOCKING,
            body -> post(body, session, response, callback),
            failure -> text(response, callback, 400, "unreadable body")));
        case "DELETE" -> {
          if (session != null && sessions.remove(session)) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
            response.write(true, null, callback);
          } else {
            text(response, callback, 404, "unknown session");
          }
        }
        default -> {
          // No standalone stream: the transport allows a server to refuse GET with 405.
          response.getHeaders().put(HttpHeader.ALLOW, "POST, DELETE");
          text(response, callback, 405, "method not allowed");
        }
      }
      return true;
    }

    private void post(byte[] body, String session, Response response, Callback callback) {
      JsonNode msg = protocol.parse(body, 0, body.length);
      if (msg == null) {
        json(response, callback, 400, EchoProtocol.error(null, -32700, "Parse error"));
        return;
      }
      if (EchoProtocol.isInitialize(msg)) {
        String id = UUID.randomUUID().toString();
        sessions.add(id);
        response.getHeaders().put("Mcp-Session-Id", id);
        json(response, callback, 200, protocol.answer(msg));
        return;
      }
      if (session == null) {
        json(response, callback, 400, EchoProtocol.error(null, -32600, "Mcp-Session-Id required"));
        return;
      }
      if (!sessions.contains(session)) {
        json(response, callback, 404, EchoProtocol.error(null, -32600, "Session not found"));
        return;
      }
      ObjectNode answer = protocol.answer(msg);
      if (answer == null) {
        response.setStatus(202);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        response.write(true, null, callback);
      } else {
        json(response, callback, 200, answer);
      }
    }

    private void json(Response response, Callback callback, int status, ObjectNode message) {
      byte[] bytes = protocol.write(message);
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
      response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private static void text(Response response, Callback callback, int status, String message) {
      byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
      response.write(true, ByteBuffer.wrap(bytes), callback);
    }
  }
}
