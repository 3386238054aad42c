package io.mcpwarden.core.backend;

import io.mcpwarden.core.backend.credential.CredentialException;
import io.mcpwarden.core.backend.credential.UpstreamContext;
import io.mcpwarden.core.backend.credential.UpstreamCredentials;
import io.mcpwarden.core.config.HttpConfig;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.protocol.ProtocolVersions;
import io.mcpwarden.core.secret.Secret;
import io.mcpwarden.core.tls.UpstreamTls;
import java.net.ConnectException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The HTTP side of one Streamable HTTP backend: its Jetty clients and the headers every request
 * carries.
 *
 * <p>Requests carry only the protocol's headers, the configured static ones and the gateway's own
 * upstream credential ({@link UpstreamCredentials}); nothing of the front client's request is ever
 * in reach here. Standalone GET streams, one per upstream session
 * and open for the session's life, use a pool of their own so that many idle sessions can never
 * starve calls of connections.
 */
final class HttpUpstreamClient {
  /** Cap on a JSON response body. */
  static final int MAX_BODY_BYTES = SseParser.MAX_EVENT_BYTES;

  /** Cap on the body of an error or acknowledgement, which is only ever inspected. */
  static final int MAX_SMALL_BODY_BYTES = 64 * 1024;

  /** Standalone streams per backend; each front session holds at most one. */
  static final int MAX_STANDALONE_STREAMS = 1024;

  /** How long a pooled connection may idle. */
  private static final long POOL_IDLE_MILLIS = 30_000;

  /** How long a standalone stream may stay silent before it is reopened. */
  static final long STANDALONE_IDLE_MILLIS = 300_000;

  static final String JSON = "application/json";
  static final String EVENT_STREAM = "text/event-stream";
  static final String ACCEPT_BOTH = JSON + ", " + EVENT_STREAM;
  /** The Accept header of every POST, encoded once. */
  private static final HttpField ACCEPT_BOTH_FIELD = new PreEncodedHttpField(HttpHeader.ACCEPT, ACCEPT_BOTH);

  private final ServerConfig server;
  private final HttpConfig http;
  private final UpstreamCredentials credentials;
  private final URI url;
  private final QueuedThreadPool threads;
  private final ScheduledExecutorScheduler scheduler;
  private final HttpClient calls;
  private final HttpClient streams;
  private volatile boolean started;
  private boolean stopped;

  HttpUpstreamClient(ServerConfig server) {
    this(server, UpstreamCredentials.NONE);
  }

  /**
   * @param credentials the gateway's own credential for this upstream: the only source of
   *     authentication headers on its requests
   */
  HttpUpstreamClient(ServerConfig server, UpstreamCredentials credentials) {
    this.server = server;
    this.credentials = credentials;
    this.http = server.http();
    this.url = http.url();
    this.threads = new QueuedThreadPool(32, 2, 60_000);
    threads.setName("mcp-http-" + server.name());
    threads.setDaemon(true);
    this.scheduler = new ScheduledExecutorScheduler("mcp-http-" + server.name() + "-scheduler", true);
    this.calls = newClient(Math.max(1, http.maxConnections()), "calls");
    this.streams = newClient(MAX_STANDALONE_STREAMS, "streams");
  }

  private HttpClient newClient(int maxConnections, String role) {
    HttpClient client = new HttpClient();
    client.setName("mcp-http-" + server.name() + "-" + role);
    client.setExecutor(threads);
    client.setScheduler(scheduler);
    Duration connect = http.connectTimeout();
    client.setConnectTimeout(connect == null ? 10_000 : Math.max(1, connect.toMillis()));
    client.setIdleTimeout(POOL_IDLE_MILLIS);
    client.setMaxConnectionsPerDestination(maxConnections);
    // A redirect could carry the configured credential headers to another host: refuse them.
    client.setFollowRedirects(false);
    // No cookie jar: the client is shared by every session of this backend, so a cookie one
    // user's upstream session set would go out on everyone's requests. (It also spares building
    // a java.net.URI per request to look cookies up, ~10 % of the bytes allocated per call.)
    client.setHttpCookieStore(new HttpCookieStore.Empty());
    // A plain-HTTP upstream gets a TLS factory that loads nothing (the URL is fixed, redirects are
    // refused): Jetty's default would read the trust store at every start for nothing.
    boolean plain = "http".equalsIgnoreCase(url.getScheme()) && (http.tls() == null || http.tls().isDefault());
    client.setSslContextFactory(plain ? UpstreamTls.plainHttp(server.name()) : UpstreamTls.clientFactory(server.name(), http.tls()));
    client.setUserAgentField(
        new HttpField(HttpHeader.USER_AGENT, UpstreamHello.CLIENT_NAME + "/" + UpstreamHello.CLIENT_VERSION));
    return client;
  }

  /** Starts the clients; idempotent. */
  synchronized void start() {
    if (stopped) {
      throw new BackendException(server.name(), "backend closed");
    }
    if (started) {
      return;
    }
    try {
      threads.start();
      scheduler.start();
      calls.start();
      streams.start();
      started = true;
    } catch (Exception e) {
      stopQuietly();
      throw new BackendException(server.name(), "HTTP client failed to start: " + e.getMessage());
    }
  }

  synchronized void stop() {
    stopped = true;
    if (started) {
      stopQuietly();
      started = false;
    }
  }

  private void stopQuietly() {
    for (var component : new org.eclipse.jetty.util.component.LifeCycle[] {streams, calls, scheduler, threads}) {
      try {
        component.stop();
      } catch (Exception e) {
        // Shutting down: nothing left to do with the failure.
      }
    }
  }

  /**
   * POSTs one JSON-RPC message and waits for the response headers.
   *
   * @param sessionId the upstream session id, or null before one is assigned
   * @param version the negotiated protocol version, or null on initialize
   * @param waitMillis longest wait for the headers and longest silence on the body
   * @param abortable receives, as soon as the request is sent, a way to abort it from any thread
   */
  HttpReply post(UpstreamContext context, byte[] body, String sessionId, String version, long waitMillis, Consumer<Runnable> abortable) {
    Map<String, Secret> auth = credentialHeaders(context);
    Request request =
        calls
            .newRequest(url)
            .method(HttpMethod.POST)
            .headers(h -> protocolHeaders(h, auth, sessionId, version, ACCEPT_BOTH))
            .body(content(body))
            .idleTimeout(waitMillis, TimeUnit.MILLISECONDS);
    return send(request, context, waitMillis, "POST", abortable);
  }

  /**
   * A POST of one JSON-RPC message, built but not sent: the caller registers a way to abort it,
   * then sends it with {@link #send(Request, Response.Listener)} and hears the answer on the
   * client's own threads instead of blocking one of its own.
   */
  Request newPost(UpstreamContext context, byte[] body, String sessionId, String version, long waitMillis) {
    if (!started) {
      start();
    }
    Map<String, Secret> auth = credentialHeaders(context);
    return calls
        .newRequest(url)
        .method(HttpMethod.POST)
        .headers(h -> protocolHeaders(h, auth, sessionId, version, ACCEPT_BOTH))
        .body(content(body))
        // No wait for the headers here: the idle timeout bounds both the wait for them and
        // silence on the body, each to waitMillis, as post() does with two waits.
        .idleTimeout(waitMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * A JSON request body. Jetty's {@code BytesRequestContent} wraps its arrays through a stream,
   * which was 4 % of the gateway's CPU per proxied call; one buffer needs none.
   */
  private static ByteBufferRequestContent content(byte[] body) {
    return new ByteBufferRequestContent(JSON, ByteBuffer.wrap(body));
  }

  /** Sends a request made by {@link #newPost}. */
  void send(Request request, Response.Listener listener) {
    request.send(listener);
  }

  /**
   * Opens an SSE stream with GET: the standalone stream, or the resumption of a cut stream.
   *
   * @param lastEventId the id to resume after, or empty
   * @param standalone whether this is the session-long standalone stream
   */
  HttpReply get(
      UpstreamContext context,
      String sessionId, String version, String lastEventId, boolean standalone, long waitMillis, Consumer<Runnable> abortable) {
    HttpClient client = standalone ? streams : calls;
    Map<String, Secret> auth = credentialHeaders(context);
    long idle = standalone ? STANDALONE_IDLE_MILLIS : waitMillis;
    Request request =
        client
            .newRequest(url)
            .method(HttpMethod.GET)
            .headers(
                h -> {
                  protocolHeaders(h, auth, sessionId, version, EVENT_STREAM);
                  if (lastEventId != null && !lastEventId.isEmpty()) {
                    h.put("Last-Event-ID", lastEventId);
                  }
                })
            .idleTimeout(idle, TimeUnit.MILLISECONDS);
    return send(request, context, waitMillis, "GET", abortable);
  }

  /** Ends an upstream session; returns the status. */
  int delete(UpstreamContext context, String sessionId, String version, long timeoutMillis) {
    Map<String, Secret> auth = credentialHeaders(context);
    Request request =
        calls
            .newRequest(url)
            .method(HttpMethod.DELETE)
            .headers(h -> protocolHeaders(h, auth, sessionId, version, null))
            .timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    try {
      ContentResponse response = request.send();
      noteRejection(response.getStatus(), context);
      return response.getStatus();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(server.name(), "interrupted during DELETE");
    } catch (TimeoutException e) {
      throw new BackendException(server.name(), "DELETE not answered within " + timeoutMillis + " ms");
    } catch (ExecutionException e) {
      throw failure("DELETE", e.getCause());
    }
  }

  /** The credential's headers for one request; a failure to get them fails the request. */
  private Map<String, Secret> credentialHeaders(UpstreamContext context) {
    try {
      return credentials.headers(context);
    } catch (CredentialException e) {
      throw new BackendException(server.name(), e.getMessage());
    }
  }

  /** A 401 means the upstream no longer accepts the credential: the next request gets a new one. */
  void noteRejection(int status, UpstreamContext context) {
    if (status == 401) {
      credentials.rejected(context);
    }
  }

  private void protocolHeaders(HttpFields.Mutable h, Map<String, Secret> auth, String sessionId, String version, String accept) {
    // Configured headers first, so that none of them can replace a protocol header.
    http.headers().forEach(h::put);
    // Then the gateway's own credential (the client's token is never in reach here).
    auth.forEach((name, value) -> h.put(name, value.reveal()));
    if (ACCEPT_BOTH.equals(accept)) {
      h.put(ACCEPT_BOTH_FIELD);
    } else if (accept != null) {
      h.put(HttpHeader.ACCEPT, accept);
    }
    if (version != null) {
      h.put(ProtocolVersions.HEADER, version);
    }
    if (sessionId != null) {
      h.put(ProtocolVersions.SESSION_HEADER, sessionId);
    }
  }

  private HttpReply send(Request request, UpstreamContext context, long waitMillis, String what, Consumer<Runnable> abortable) {
    if (!started) {
      start();
    }
    InputStreamResponseListener listener = new InputStreamResponseListener();
    request.send(listener);
    if (abortable != null) {
      abortable.accept(() -> request.abort(new CancellationException(what + " aborted")));
    }
    try {
      Response response = listener.get(waitMillis, TimeUnit.MILLISECONDS);
      noteRejection(response.getStatus(), context);
      return new HttpReply(request, response, listener.getInputStream());
    } catch (InterruptedException e) {
      request.abort(e);
      Thread.currentThread().interrupt();
      throw new BackendException(server.name(), "interrupted during " + what);
    } catch (TimeoutException e) {
      request.abort(e);
      throw new BackendException(server.name(), "no answer to " + what + " within " + waitMillis + " ms");
    } catch (ExecutionException e) {
      throw failure(what, e.getCause());
    }
  }

  /** A transport failure as an error naming the server but not the URL (it may hold a key). */
  BackendException failure(String what, Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      if (root instanceof ConnectException) {
        break;
      }
      root = root.getCause();
    }
    String detail = root instanceof ConnectException ? "connection refused" : root.getClass().getSimpleName();
    if (root.getMessage() != null && !(root instanceof ConnectException)) {
      detail += ": " + firstLine(root.getMessage());
    }
    return new BackendException(server.name(), what + " failed (" + detail + ")");
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() <= 200 ? line : line.substring(0, 200);
  }
}
