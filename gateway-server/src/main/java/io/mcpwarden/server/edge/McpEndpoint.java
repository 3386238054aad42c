package io.mcpwarden.server.edge;

import io.mcpwarden.core.audit.AuditEvent;
import io.mcpwarden.core.auth.AuthContext;
import io.mcpwarden.core.auth.AuthException;
import io.mcpwarden.core.auth.Principal;
import io.mcpwarden.core.auth.ResourceServer;
import io.mcpwarden.core.backend.RelatedSink;
import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.dispatch.Dispatcher;
import io.mcpwarden.core.message.BoundedBody;
import io.mcpwarden.core.message.Envelope;
import io.mcpwarden.core.message.JsonCodec;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.message.JsonRpcException;
import io.mcpwarden.core.protocol.ProtocolVersions;
import io.mcpwarden.core.session.EventStream;
import io.mcpwarden.core.session.FrontSession;
import io.mcpwarden.core.session.SessionStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The MCP Streamable HTTP endpoint (revision 2025-11-25): POST, GET and DELETE on one path.
 *
 * <p>Everything about the transport is decided here (Host and Origin, sizes, Accept, session and
 * version headers, JSON versus SSE answers, resumption), so the dispatcher behind it deals only in
 * JSON-RPC messages. Each request runs on its own virtual thread (Jetty's, when its pool has a
 * virtual-thread executor, else one started here); blocking there is cheap and keeps the flow
 * readable.
 */
public final class McpEndpoint extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(McpEndpoint.class);
  private static final String ANONYMOUS = "anonymous";
  private static final long KEEPALIVE_MILLIS = 15_000;
  private static final int CONNECTION_QUEUE = 1024;
  /** Headers of every JSON answer, encoded once rather than per response. */
  private static final HttpField JSON_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
  private static final HttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");

  private final GatewayConfig config;
  private final Dispatcher dispatcher;
  private final SessionStore sessions;
  private final JsonCodec codec;
  private final OriginPolicy origins;
  private final Clock clock;
  private final BearerGate gate;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

  public McpEndpoint(GatewayConfig config, Dispatcher dispatcher, SessionStore sessions, JsonCodec codec, Clock clock) {
    this(config, dispatcher, sessions, codec, clock, null);
  }

  /**
   * @param resource the gateway as OAuth protected resource; null when authentication is off and
   *     every client is {@code anonymous}
   */
  public McpEndpoint(GatewayConfig config, Dispatcher dispatcher, SessionStore sessions, JsonCodec codec, Clock clock,
      ResourceServer resource) {
    this.config = config;
    this.dispatcher = dispatcher;
    this.sessions = sessions;
    this.codec = codec;
    this.origins = new OriginPolicy(config.listen());
    this.clock = clock;
    this.gate = resource == null ? null : new BearerGate(resource);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!config.listen().path().equals(Request.getPathInContext(request))) {
      return false;
    }
    Runnable work = () -> {
      Exchange x = new Exchange(request, response, callback, System.nanoTime());
      try {
        serve(x);
      } catch (InterruptedException e) {
        // The gateway is stopping; the connection is closed with it.
        x.fail(503, JsonRpc.INTERNAL_ERROR, "Gateway shutting down");
      } catch (Throwable t) {
        LOG.error("unexpected failure serving {} {}", request.getMethod(), config.listen().path(), t);
        x.fail(500, JsonRpc.INTERNAL_ERROR, "Internal error");
      }
    };
    if (Thread.currentThread().isVirtual()) {
      // Jetty already runs this request on a virtual thread of its own (Gateway configures it):
      // handing it to another would only add a thread switch per request.
      work.run();
    } else {
      workers.execute(work);
    }
    return true;
  }

  /** Stops the request workers. */
  public void shutdown() {
    workers.shutdownNow();
  }

  private void serve(Exchange x) throws IOException, InterruptedException {
    Request req = x.request;
    if (!origins.hostAllowed(req.getHeaders().get(HttpHeader.HOST))) {
      x.reject(403, JsonRpc.INVALID_REQUEST, "Forbidden: Host header not allowed", "host not allowed");
      return;
    }
    if (!origins.originAllowed(req.getHeaders().get(HttpHeader.ORIGIN))) {
      x.reject(403, JsonRpc.INVALID_REQUEST, "Forbidden: Origin not allowed", "origin not allowed");
      return;
    }
    if (gate != null && !authenticate(x)) {
      return;
    }
    switch (req.getMethod()) {
      case "POST" -> post(x);
      case "GET" -> get(x);
      case "DELETE" -> delete(x);
      default -> {
        x.response.getHeaders().put(HttpHeader.ALLOW, "GET, POST, DELETE");
        x.reject(405, JsonRpc.INVALID_REQUEST, "Method not allowed", "http method " + req.getMethod());
      }
    }
  }

  // ------------------------------------------------------------------ authentication

  /**
   * Checks the request's bearer token (every request: POST of any message, GET, DELETE); answers
   * 400, 401, 403, 431 or 503 itself and returns false when it is not acceptable.
   */
  private boolean authenticate(Exchange x) {
    x.method = x.request.getMethod();
    if (gate.oversize(x.request)) {
      x.authFailure(null, "Authorization header too large");
      x.rpcError(431, null, JsonRpc.INVALID_REQUEST, "Request Header Fields Too Large: Authorization header too large");
      return false;
    }
    try {
      x.auth = new AuthContext(gate.authenticate(x.request), BearerGate.bearerToken(x.request));
      gate.checkGlobalScopes(x.auth.principal());
      return true;
    } catch (AuthException e) {
      x.challenge(e, null);
      return false;
    }
  }

  /**
   * The session a non-initialize request (POST, GET or DELETE) runs in, after the checks every such
   * request shares: a supported protocol version (400), a session id header (400) and a live
   * session of this caller (404). Returns null once the request has been refused.
   */
  private FrontSession requireSession(Exchange x) {
    if (!versionSupported(x)) {
      return null;
    }
    String sessionId = x.request.getHeaders().get(ProtocolVersions.SESSION_HEADER);
    if (sessionId == null) {
      x.reject(400, JsonRpc.INVALID_REQUEST, "Bad Request: Mcp-Session-Id header is required (initialize first)", "missing session");
      return null;
    }
    FrontSession session = findSession(x, sessionId);
    if (session == null) {
      x.reject(404, JsonRpc.INVALID_REQUEST, "Session not found or expired: initialize a new session", "unknown session");
      return null;
    }
    x.session = session;
    if (x.auth != null) {
      // Token exchange toward upstreams uses the client's current token, not the one it started with.
      session.updateSubjectToken(x.auth.token());
      session.updatePrincipal(x.auth.principal());
    }
    return session;
  }

  /**
   * The caller's session with this id. A miss is a 404 whatever the reason; when the id exists but
   * belongs to another user, the attempt is audited as a hijack.
   */
  private FrontSession findSession(Exchange x, String sessionId) {
    FrontSession session = sessions.find(x.owner(), sessionId);
    if (session == null && sessions.ownedByAnother(x.owner(), sessionId)) {
      dispatcher.audit(new AuditEvent(clock.instant(), "session.hijack", x.owner(), sessionId, x.method, null, null,
          "deny", 404, JsonRpc.INVALID_REQUEST, micros(x), "session id of another user presented"));
      LOG.warn("session id of another user presented by {} ({} {})", x.owner(), x.request.getMethod(), config.listen().path());
    }
    return session;
  }

  private static long micros(Exchange x) {
    return (System.nanoTime() - x.start) / 1000;
  }

  // ------------------------------------------------------------------ POST

  private void post(Exchange x) throws IOException, InterruptedException {
    Request req = x.request;
    String contentType = req.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      x.reject(415, JsonRpc.INVALID_REQUEST, "Content-Type must be application/json", "content type");
      return;
    }
    Accept accept = Accept.parse(req.getHeaders().get(HttpHeader.ACCEPT));
    if (!accept.json() && !accept.sse()) {
      x.reject(406, JsonRpc.INVALID_REQUEST, "Not Acceptable: accept application/json and/or text/event-stream", "accept");
      return;
    }
    byte[] body = readBody(x);
    if (body == null) {
      return;
    }
    Envelope env;
    try {
      env = Envelope.of(codec.parse(body));
    } catch (JsonRpcException e) {
      x.reject(400, e.code(), e.getMessage(), "malformed message");
      return;
    }
    x.method = env.method();
    if (env.isRequest() && "initialize".equals(env.method())) {
      // The version is negotiated in the body, so a version header here is not checked: clients
      // (the Java SDK for one) send their newest, which a refusal would make unable to negotiate.
      initialize(x, env, accept);
      return;
    }
    FrontSession session = requireSession(x);
    if (session == null) {
      return;
    }
    switch (env.kind()) {
      case NOTIFICATION -> {
        dispatcher.notification(session, env);
        x.accepted();
      }
      case RESPONSE -> {
        dispatcher.response(session, env);
        x.accepted();
      }
      case REQUEST -> request(x, session, env, accept);
    }
  }

  /**
   * Refuses (400) a present but unsupported MCP-Protocol-Version header. Checked on POST, GET and
   * DELETE alike: the rule covers every HTTP request of the session, and a GET let through would
   * hold an SSE stream open for a client speaking a version the gateway does not.
   */
  private boolean versionSupported(Exchange x) {
    String version = x.request.getHeaders().get(ProtocolVersions.HEADER);
    if (version != null && !ProtocolVersions.isSupported(version)) {
      x.reject(400, JsonRpc.INVALID_REQUEST, "Unsupported MCP-Protocol-Version: " + version
          + " (supported: " + String.join(", ", ProtocolVersions.SUPPORTED) + ")", "protocol version");
      return false;
    }
    return true;
  }

  private byte[] readBody(Exchange x) throws IOException {
    long max = config.limits().maxBodyBytes();
    long declared = x.request.getLength();
    if (declared > max) {
      x.reject(413, JsonRpc.INVALID_REQUEST, "Request body too large (limit " + max + " bytes)", "body too large");
      return null;
    }
    byte[] body;
    try (InputStream in = Content.Source.asInputStream(x.request)) {
      body = BoundedBody.read(in, declared, (int) Math.min(Integer.MAX_VALUE - 8, max + 1));
    }
    // Refused only after the stream is closed: closing it after the response completed fails.
    if (body.length > max) {
      x.reject(413, JsonRpc.INVALID_REQUEST, "Request body too large (limit " + max + " bytes)", "body too large");
      return null;
    }
    return body;
  }

  private void initialize(Exchange x, Envelope env, Accept accept) throws IOException, InterruptedException {
    if (x.auth != null && !sessions.hasCapacityFor(x.owner())) {
      x.response.getHeaders().put(HttpHeader.RETRY_AFTER, "60");
      x.reject(429, JsonRpc.LIMIT_EXCEEDED, "Too many sessions for this user (limit " + config.sessions().maxPerUser()
          + "); end one with DELETE first", "sessions per user");
      return;
    }
    Dispatcher.Initialized init;
    try {
      init = dispatcher.initialize(env, x.owner(), x.auth == null ? null : x.auth.token());
    } catch (JsonRpcException e) {
      int status = e.code() == JsonRpc.LIMIT_EXCEEDED ? 503 : 200;
      x.rpcError(status, env.id(), e.code(), e.getMessage());
      return;
    }
    x.session = init.session();
    if (x.auth != null) {
      Principal p = x.auth.principal();
      dispatcher.audit(new AuditEvent(clock.instant(), "auth.ok", x.owner(), init.session().id(), "initialize", null, null,
          "allow", 200, 0, micros(x), "issuer " + p.issuer() + ", scopes [" + String.join(" ", p.scopes()) + "]"));
    }
    x.response.getHeaders().put(ProtocolVersions.SESSION_HEADER, init.session().id());
    if (accept.json()) {
      x.json(200, init.response());
    } else {
      EventStream stream = init.session().newStream(false, config.limits().sseReplayEvents());
      stream.append(init.response());
      stream.end();
      streamSse(x, stream, 0, true);
    }
  }

  private void request(Exchange x, FrontSession session, Envelope env, Accept accept) throws IOException, InterruptedException {
    if (session.inFlight().size() >= config.limits().maxPendingPerSession()) {
      x.response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
      x.reject(429, JsonRpc.LIMIT_EXCEEDED, "Too many requests in flight for this session", "pending limit");
      return;
    }
    PostAnswer answer = new PostAnswer(x, session, accept.sse());
    // The request runs on this thread: a plain JSON answer (the usual case) then costs no second
    // thread and no hand-off. A related message arriving first starts a writer that answers with
    // an SSE stream instead, while the request goes on here.
    Dispatcher.Reply r = dispatcher.handle(session, env, answer, x.auth);
    ObjectNode resp = r.response();
    if (!answer.claim()) {
      answer.finishStream(resp);
      return;
    }
    if (resp != null && x.auth != null && x.auth.refusal() != null) {
      // A guard refused for lack of scope or a spent token: an OAuth challenge, not a JSON-RPC error.
      x.challenge(x.auth.refusal(), resp);
      return;
    }
    if (resp != null && r.httpStatus() == 429) {
      // Over a rate or concurrency limit: the refusal is the whole answer, so HTTP can say it too.
      x.response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(r.retryAfterSeconds()));
      x.json(429, resp);
      return;
    }
    if (resp == null && !accept.sse()) {
      x.noContent();
      return;
    }
    if ((resp != null && accept.json() && !accept.prefersSse()) || !accept.sse()) {
      x.json(200, resp);
      return;
    }
    answer.openStream();
    answer.finishStream(resp);
    answer.sendStream();
  }

  /**
   * Where a POSTed request's related messages go while it runs, and who answers the POST: the
   * request's own thread with one JSON object (or an SSE stream holding only the response) when
   * no related message came first, else a writer thread started by the first one, streaming SSE.
   * Without SSE in the client's Accept, related messages go to the session's GET stream instead.
   */
  private final class PostAnswer implements RelatedSink {
    private final Exchange x;
    private final FrontSession session;
    private final boolean sse;
    private EventStream stream;
    private SseConnection conn;
    /** A writer streams the answer; guarded by this. */
    private boolean streaming;
    /** The request's thread answers; guarded by this. */
    private boolean claimed;

    PostAnswer(Exchange x, FrontSession session, boolean sse) {
      this.x = x;
      this.session = session;
      this.sse = sse;
    }

    @Override
    public void onMessage(ObjectNode msg) {
      if (!sse) {
        EventStream target = session.standaloneTarget();
        if (target != null) {
          target.append(msg);
        }
        return;
      }
      EventStream s;
      boolean start = false;
      synchronized (this) {
        if (claimed) {
          return; // after the response: no longer part of this request
        }
        s = openStream();
        if (!streaming) {
          streaming = true;
          start = true;
        }
      }
      s.append(msg);
      if (start) {
        Thread.startVirtualThread(this::write);
      }
    }

    /** True when the request's thread is to answer: no writer started, and none will be. */
    synchronized boolean claim() {
      claimed = !streaming;
      return claimed;
    }

    synchronized EventStream openStream() {
      if (stream == null) {
        stream = session.newStream(false, config.limits().sseReplayEvents());
        conn = new SseConnection(CONNECTION_QUEUE);
        stream.attach(conn, 0);
      }
      return stream;
    }

    /** Hands the response (null when cancelled) to the writer and ends its stream. */
    void finishStream(ObjectNode resp) {
      if (resp != null) {
        stream.append(resp);
      }
      stream.end();
    }

    /** Answers the POST with the request's SSE stream, to its end. */
    void sendStream() throws IOException, InterruptedException {
      x.startSse(stream.id() + "-0", priming(session));
      pump(x, stream, conn);
      session.pruneStreams(config.limits().maxSseStreamsPerSession() * 4);
    }

    private void write() {
      try {
        sendStream();
      } catch (InterruptedException e) {
        stream.detach(conn);
        x.fail(503, JsonRpc.INTERNAL_ERROR, "Gateway shutting down");
      } catch (Throwable t) {
        stream.detach(conn);
        LOG.error("unexpected failure streaming the answer to a POST", t);
        x.fail(500, JsonRpc.INTERNAL_ERROR, "Internal error");
      }
    }
  }

  private static boolean priming(FrontSession session) {
    return session.protocolVersion().compareTo("2025-11-25") >= 0;
  }

  // ------------------------------------------------------------------ GET

  private void get(Exchange x) throws IOException, InterruptedException {
    Accept accept = Accept.parse(x.request.getHeaders().get(HttpHeader.ACCEPT));
    if (!accept.sseExplicit()) {
      x.reject(406, JsonRpc.INVALID_REQUEST, "Not Acceptable: GET needs Accept: text/event-stream", "accept");
      return;
    }
    x.method = "GET";
    FrontSession session = requireSession(x);
    if (session == null) {
      return;
    }
    String lastEventId = x.request.getHeaders().get("Last-Event-ID");
    EventStream stream = null;
    long after = 0;
    if (lastEventId != null) {
      int dash = lastEventId.lastIndexOf('-');
      if (dash > 0) {
        stream = session.stream(lastEventId.substring(0, dash));
        try {
          after = Long.parseLong(lastEventId.substring(dash + 1));
        } catch (NumberFormatException e) {
          stream = null;
        }
      }
    }
    if (session.liveGetStreams().incrementAndGet() > config.limits().maxSseStreamsPerSession()) {
      session.liveGetStreams().decrementAndGet();
      x.response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
      x.reject(429, JsonRpc.LIMIT_EXCEEDED, "Too many open SSE streams for this session (limit "
          + config.limits().maxSseStreamsPerSession() + ")", "stream limit");
      return;
    }
    try {
      if (stream == null) {
        stream = session.newStream(true, config.limits().sseReplayEvents());
        after = 0;
      }
      streamSse(x, stream, after, priming(session));
    } finally {
      session.liveGetStreams().decrementAndGet();
      if (stream != null && stream.standalone()) {
        // A standalone stream without a reader keeps buffering for a later resume, bounded.
        session.pruneStreams(config.limits().maxSseStreamsPerSession() * 4);
      }
    }
  }

  private void streamSse(Exchange x, EventStream stream, long after, boolean priming) throws IOException, InterruptedException {
    SseConnection conn = new SseConnection(CONNECTION_QUEUE);
    x.startSse(stream.id() + "-" + after, priming);
    stream.attach(conn, after);
    pump(x, stream, conn);
  }

  /** Writes events until the stream ends or the client goes away (which is not a cancellation). */
  private void pump(Exchange x, EventStream stream, SseConnection conn) throws InterruptedException {
    while (true) {
      EventStream.Event e = conn.next(KEEPALIVE_MILLIS);
      if (e == SseConnection.END) {
        x.finish();
        return;
      }
      boolean ok = e == null ? x.comment("keepalive") : x.event(e);
      if (!ok) {
        stream.detach(conn);
        return;
      }
    }
  }

  // ------------------------------------------------------------------ DELETE

  private void delete(Exchange x) {
    x.method = "DELETE";
    FrontSession session = requireSession(x);
    if (session == null) {
      return;
    }
    dispatcher.end(session, "deleted by client");
    x.noContent();
  }

  // ------------------------------------------------------------------ one HTTP exchange

  /** One HTTP request/response pair and the writes allowed on it. */
  private final class Exchange {
    final Request request;
    final Response response;
    final Callback callback;
    final long start;
    FrontSession session;
    String method;
    AuthContext auth;
    boolean done;

    Exchange(Request request, Response response, Callback callback, long start) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.start = start;
    }

    /** Refuses at the transport level: status, JSON-RPC error without id, audit record. */
    /** Who sent the request: the token's owner, or {@code anonymous} when authentication is off. */
    String owner() {
      return auth == null ? ANONYMOUS : auth.principal().owner();
    }

    /**
     * Answers an authentication or authorization failure: its status, the {@code WWW-Authenticate}
     * challenge, a JSON-RPC error (or {@code body}), and an audit record.
     */
    void challenge(AuthException e, ObjectNode body) {
      int status = e.error().status();
      String header = gate.challenge(e);
      if (header != null) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, header);
      }
      if (status == 503) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
      }
      authFailure(e, e.getMessage());
      String prefix = switch (status) {
        case 400 -> "Bad Request: ";
        case 401 -> "Unauthorized: ";
        case 403 -> "Forbidden: ";
        default -> "Service Unavailable: ";
      };
      json(status, body != null ? body : JsonRpc.error(null, JsonRpc.GATEWAY_DENIED, prefix + e.getMessage()));
    }

    void authFailure(AuthException e, String detail) {
      String code = e == null ? "header_too_large" : e.error().code() != null ? e.error().code() : e.error().name().toLowerCase(Locale.ROOT);
      dispatcher.audit(new AuditEvent(clock.instant(), "auth.fail", auth == null ? null : owner(), session == null ? null : session.id(),
          method, null, null, "deny", e == null ? 431 : e.error().status(), 0, micros(this), code + ": " + detail));
    }

    void reject(int status, int code, String message, String reason) {
      dispatcher.audit(new AuditEvent(clock.instant(), "http.reject", owner(), session == null ? null : session.id(),
          method, null, null, "deny", status, code, (System.nanoTime() - start) / 1000, reason + ": " + message));
      rpcError(status, null, code, message);
    }

    void rpcError(int status, JsonNode id, int code, String message) {
      json(status, JsonRpc.error(id, code, message));
    }

    void fail(int status, int code, String message) {
      if (!done && !response.isCommitted()) {
        rpcError(status, null, code, message);
      } else if (!done) {
        done = true;
        callback.failed(new IOException(message));
      }
    }

    void json(int status, ObjectNode body) {
      byte[] bytes = codec.write(body);
      response.setStatus(status);
      response.getHeaders().put(JSON_TYPE);
      response.getHeaders().put(NO_STORE);
      done = true;
      response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    void accepted() {
      response.setStatus(202);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, "0");
      done = true;
      response.write(true, null, callback);
    }

    void noContent() {
      response.setStatus(204);
      done = true;
      response.write(true, null, callback);
    }

    void startSse(String primingId, boolean priming) throws IOException {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, no-store");
      response.getHeaders().put("X-Accel-Buffering", "no");
      if (priming) {
        write("id: " + primingId + "\ndata: \n\n");
      } else {
        write(": stream open\n\n");
      }
    }

    boolean event(EventStream.Event e) {
      try {
        write("id: " + e.id() + "\nevent: message\ndata: " + codec.writeString(e.message()) + "\n\n");
        return true;
      } catch (IOException ex) {
        abort(ex);
        return false;
      }
    }

    boolean comment(String text) {
      try {
        write(": " + text + "\n\n");
        return true;
      } catch (IOException ex) {
        abort(ex);
        return false;
      }
    }

    private void write(String s) throws IOException {
      try (Blocker.Callback cb = Blocker.callback()) {
        response.write(false, ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)), cb);
        cb.block();
      }
    }

    void finish() {
      done = true;
      response.write(true, null, callback);
    }

    private void abort(Throwable cause) {
      if (!done) {
        done = true;
        callback.failed(cause);
      }
    }
  }
}
