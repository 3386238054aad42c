package io.mcpwarden.bench;

import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
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

/**
 * The floor for any gateway built on Jetty: a plain HTTP forwarder with no MCP logic at all.
 *
 * <pre>
 *   JettyForwarder UPSTREAM_URL [port]   listens on http://127.0.0.1:port/mcp; prints "LISTENING port"
 * </pre>
 *
 * <p>Each POST body goes unparsed to the upstream with Jetty's asynchronous client (no thread
 * waits), the answer comes back the same way; only the MCP headers are copied. What the gateway
 * costs per request beyond this is its own doing (JSON, sessions, guards, audit, threading); what
 * this costs is the price of two HTTP hops on this stack and machine.
 */
public final class JettyForwarder {
  private static final int MAX_BODY = 4 << 20;
  private static final String[] REQUEST_HEADERS = {"Accept", "Content-Type", "Mcp-Session-Id", "MCP-Protocol-Version", "Last-Event-ID"};
  private static final String[] RESPONSE_HEADERS = {"Content-Type", "Mcp-Session-Id"};

  private JettyForwarder() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
      System.setProperty("slf4j.internal.verbosity", "WARN");
    }
    PrintStream stdout = System.out;
    System.setOut(System.err);
    if (args.length < 1) {
      System.err.println("usage: JettyForwarder UPSTREAM_URL [port]");
      System.exit(2);
    }
    URI upstream = URI.create(args[0]);
    HttpClient client = new HttpClient();
    client.setMaxConnectionsPerDestination(64);
    client.setFollowRedirects(false);
    client.start();

    QueuedThreadPool pool = new QueuedThreadPool(64, 4);
    pool.setName("forwarder");
    Server server = new Server(pool);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(args.length > 1 ? Integer.parseInt(args[1]) : 0);
    server.addConnector(connector);
    server.setHandler(new Forward(client, upstream));
    server.start();
    stdout.println("LISTENING " + connector.getLocalPort());
    stdout.flush();
    server.join();
  }

  private static final class Forward extends Handler.Abstract.NonBlocking {
    private final HttpClient client;
    private final URI upstream;

    Forward(HttpClient client, URI upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      if (!upstream.getPath().equals(Request.getPathInContext(request))) {
        return false;
      }
      Content.Source.asByteArrayAsync(request, MAX_BODY, Promise.Invocable.from(
          Invocable.InvocationType.NON_BLOCKING,
          body -> forward(request, body, response, callback),
          callback::failed));
      return true;
    }

    private void forward(Request request, byte[] body, Response response, Callback callback) {
      org.eclipse.jetty.client.Request out = client.newRequest(upstream).method(HttpMethod.fromString(request.getMethod()));
      out.headers(h -> {
        for (String name : REQUEST_HEADERS) {
          String v = request.getHeaders().get(name);
          if (v != null) {
            h.put(name, v);
          }
        }
      });
      if (body.length > 0) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        out.body(new BytesRequestContent(type == null ? "application/json" : type, body));
      }
      out.send(new BufferingResponseListener(MAX_BODY) {
        @Override
        public void onComplete(Result result) {
          if (result.isFailed()) {
            response.setStatus(502);
            response.write(true, null, callback);
            return;
          }
          response.setStatus(result.getResponse().getStatus());
          for (String name : RESPONSE_HEADERS) {
            HttpField f = result.getResponse().getHeaders().getField(name);
            if (f != null) {
              response.getHeaders().put(name, f.getValue());
            }
          }
          byte[] content = getContent();
          response.getHeaders().put(HttpHeader.CONTENT_LENGTH, content.length);
          response.write(true, ByteBuffer.wrap(content), callback);
        }
      });
    }
  }
}
