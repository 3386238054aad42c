package io.mcpwarden.core.backend;

import io.mcpwarden.core.message.JsonCodec;
import io.mcpwarden.core.message.JsonRpc;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tiny Streamable HTTP MCP server on loopback that records what it receives and answers as each
 * test tells it to.
 */
final class HttpFakeUpstream implements AutoCloseable {
  static final JsonCodec CODEC = new JsonCodec(64, 1 << 24);

  /** One HTTP request as received. */
  record Received(String httpMethod, HttpFields headers, ObjectNode body) {
    String header(String name) {
      return headers.get(name);
    }

    String rpcMethod() {
      return body == null || !body.has("method") ? null : body.get("method").asString();
    }

    JsonNode rpcId() {
      return body == null ? null : body.get("id");
    }
  }

  /** How the fake answers one request. */
  @FunctionalInterface
  interface Behaviour {
    void handle(Received request, Reply reply) throws Exception;
  }

  /** The fake's side of one exchange. */
  static final class Reply {
    private final Response response;
    private final Callback callback;
    private OutputStream sse;
    private boolean done;

    Reply(Response response, Callback callback) {
      this.response = response;
      this.callback = callback;
    }

    void header(String name, String value) {
      response.getHeaders().put(name, value);
    }

    void json(JsonNode message) {
      json(200, CODEC.writeString(message));
    }

    void json(int status, String body) {
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      done = true;
      Content.Sink.write(response, true, body, callback);
    }

    void status(int status) {
      response.setStatus(status);
      done = true;
      callback.succeeded();
    }

    /** Starts an SSE body; events are flushed one by one. */
    Reply sse() {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
      sse = Content.Sink.asOutputStream(response);
      return this;
    }

    /** Writes raw SSE text (fields and blank line included). */
    Reply raw(String text) throws IOException {
      sse.write(text.getBytes(StandardCharsets.UTF_8));
      sse.flush();
      return this;
    }

    Reply event(String id, JsonNode message) throws IOException {
      return raw((id == null ? "" : "id: " + id + "\n") + "data: " + CODEC.writeString(message) + "\n\n");
    }

    void finish() {
      if (done) {
        return;
      }
      done = true;
      if (sse != null) {
        try {
          sse.close();
          callback.succeeded();
        } catch (IOException e) {
          callback.failed(e);
        }
      } else {
        response.setStatus(200);
        callback.succeeded();
      }
    }
  }

  final Queue<Received> received = new ConcurrentLinkedQueue<>();
  final Set<String> liveSessions = ConcurrentHashMap.newKeySet();
  final Map<String, Behaviour> onRequest = new ConcurrentHashMap<>();
  final AtomicInteger sessionCounter = new AtomicInteger();
  volatile String version = "2025-11-25";
  volatile boolean assignSessions = true;
  /** When not 0, initialize is answered with this status. */
  volatile int initializeStatus;
  volatile long initializeDelayMillis;
  /** Handles GET; null means 405. */
  volatile Behaviour onGet;

  private final Server server;
  private final ServerConnector connector;

  HttpFakeUpstream() throws Exception {
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setStopTimeout(0);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            Reply reply = new Reply(response, callback);
            try {
              serve(request, reply);
              reply.finish();
            } catch (Throwable t) {
              if (!reply.done) {
                reply.done = true;
                callback.failed(t);
              }
            }
            return true;
          }
        });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/mcp");
  }

  int port() {
    return connector.getLocalPort();
  }

  private void serve(Request request, Reply reply) throws Exception {
    String method = request.getMethod();
    HttpFields headers = request.getHeaders().asImmutable();
    String sid = headers.get("Mcp-Session-Id");
    ObjectNode body = null;
    if ("POST".equals(method)) {
      String text = Content.Source.asString(request, StandardCharsets.UTF_8);
      body = (ObjectNode) CODEC.parse(text);
    }
    Received r = new Received(method, headers, body);
    received.add(r);
    switch (method) {
      case "POST" -> post(r, sid, reply);
      case "GET" -> {
        if (onGet == null) {
          reply.status(405);
        } else if (assignSessions && (sid == null || !liveSessions.contains(sid))) {
          reply.status(404);
        } else {
          onGet.handle(r, reply);
        }
      }
      case "DELETE" -> {
        liveSessions.remove(sid);
        reply.status(200);
      }
      default -> reply.status(405);
    }
  }

  private void post(Received r, String sid, Reply reply) throws Exception {
    if ("initialize".equals(r.rpcMethod())) {
      if (initializeDelayMillis > 0) {
        Thread.sleep(initializeDelayMillis);
      }
      if (initializeStatus != 0) {
        reply.status(initializeStatus);
        return;
      }
      ObjectNode result = JsonRpc.NODES.objectNode();
      result.put("protocolVersion", version);
      result.putObject("capabilities").putObject("tools").put("listChanged", true);
      result.putObject("serverInfo").put("name", "fake").put("version", "1.0");
      if (assignSessions) {
        String newSid = "sess-" + sessionCounter.incrementAndGet();
        liveSessions.add(newSid);
        reply.header("Mcp-Session-Id", newSid);
      }
      reply.json(JsonRpc.result(r.rpcId(), result));
      return;
    }
    if (assignSessions && (sid == null || !liveSessions.contains(sid))) {
      reply.status(sid == null ? 400 : 404);
      return;
    }
    if (r.rpcId() == null || r.rpcMethod() == null) {
      reply.status(202); // notification or response
      return;
    }
    Behaviour b = onRequest.get(r.rpcMethod());
    if (b != null) {
      b.handle(r, reply);
      return;
    }
    ObjectNode result = JsonRpc.NODES.objectNode();
    result.putArray("content").addObject().put("type", "text").put("text", "ok");
    reply.json(JsonRpc.result(r.rpcId(), result));
  }

  /** Requests received with this JSON-RPC method. */
  List<Received> withRpcMethod(String rpcMethod) {
    return received.stream().filter(r -> rpcMethod.equals(r.rpcMethod())).toList();
  }

  List<Received> withHttpMethod(String httpMethod) {
    return received.stream().filter(r -> httpMethod.equals(r.httpMethod())).toList();
  }

  void stop() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
