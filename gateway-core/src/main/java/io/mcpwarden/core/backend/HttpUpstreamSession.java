package io.mcpwarden.core.backend;

import io.mcpwarden.core.backend.credential.UpstreamContext;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.message.JsonCodec;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.message.JsonRpcException;
import io.mcpwarden.core.protocol.ProtocolVersions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's MCP client session with one Streamable HTTP upstream, for one front session.
 *
 * <p>Each call POSTs the request and reads either one JSON object, on the HTTP client's own
 * threads, or, on a virtual thread of its own, an SSE stream, handing server-to-client messages of
 * that stream to the call's sink and completing the call with the response whose id matches. Ids are rewritten to this
 * session's own counter and restored, with their JSON type, on the way back. An upstream 404 on
 * a request that carried a session id means the upstream session expired; the session is then
 * initialized again, without an id, once, and the request retried.
 */
final class HttpUpstreamSession implements UpstreamSession {
  private static final Logger LOG = LoggerFactory.getLogger(HttpUpstreamSession.class);

  /** Consecutive resumptions of a cut stream that may bring nothing new before the call fails. */
  static final int MAX_RESUME_ATTEMPTS = 3;

  private static final long RESUME_BASE_DELAY_MILLIS = 100;
  private static final long RESUME_MAX_DELAY_MILLIS = 10_000;
  private static final long DELETE_TIMEOUT_MILLIS = 2_000;
  /** Slack on top of the request timeout, so the caller's own timeout (which cancels) fires first. */
  private static final long TIMEOUT_SLACK_MILLIS = 5_000;
  private static final int MAX_SESSION_ID_LENGTH = 1024;

  private final ServerConfig server;
  private final HttpUpstreamClient client;
  private final JsonCodec codec;
  private final UpstreamListener listener;
  private final ObjectNode clientCapabilities;
  private final Consumer<HttpUpstreamSession> onEnd;
  /** On whose behalf requests are made; decides the upstream credential, never sent itself. */
  private final UpstreamContext context;
  private final AtomicLong nextId = new AtomicLong(1);
  private final Map<Long, Call> pending = new ConcurrentHashMap<>();
  private final ReentrantLock handshakeLock = new ReentrantLock();
  private final AtomicBoolean ended = new AtomicBoolean();

  private volatile String sessionId;
  private volatile String protocolVersion;
  private volatile ObjectNode initializeResult;
  private volatile HttpStandaloneStream standalone;

  /** One request in flight. */
  static final class Call {
    final long upstreamId;
    final JsonNode originalId;
    final String method;
    final RelatedSink related;
    final JsonNode progressToken;
    final CompletableFuture<ObjectNode> future = new CompletableFuture<>();
    /** The session id assigned by the upstream in answer to an initialize call. */
    volatile String assignedSessionId;
    /** Aborts the HTTP exchange currently carrying this call; run when the call ends early. */
    private volatile Runnable abort;

    Call(long upstreamId, JsonNode originalId, String method, RelatedSink related, JsonNode progressToken) {
      this.upstreamId = upstreamId;
      this.originalId = originalId;
      this.method = method;
      this.related = related;
      this.progressToken = progressToken;
    }

    /** Registers the exchange now carrying the call; aborts it at once if the call has ended. */
    void abortable(Runnable hook) {
      abort = hook;
      if (future.isDone()) {
        hook.run();
      }
    }

    void abortExchange() {
      Runnable hook = abort;
      if (hook != null) {
        hook.run();
      }
    }
  }

  HttpUpstreamSession(
      ServerConfig server,
      HttpUpstreamClient client,
      JsonCodec codec,
      UpstreamListener listener,
      ObjectNode clientCapabilities,
      Consumer<HttpUpstreamSession> onEnd,
      UpstreamContext context) {
    this.server = server;
    this.client = client;
    this.codec = codec;
    this.listener = listener;
    this.clientCapabilities = clientCapabilities == null ? JsonRpc.NODES.objectNode() : clientCapabilities.deepCopy();
    this.onEnd = onEnd;
    this.context = context;
  }

  UpstreamContext context() {
    return context;
  }

  String name() {
    return server.name();
  }

  String sessionId() {
    return sessionId;
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Initializes the upstream session and opens the standalone stream.
   *
   * @throws BackendException when the upstream cannot be reached or refuses initialize
   */
  void open() {
    handshakeLock.lock();
    try {
      handshake();
    } finally {
      handshakeLock.unlock();
    }
    startStandalone();
  }

  /**
   * Runs initialize and notifications/initialized without a session id, within the init timeout,
   * and adopts the new session id, version and result only when both succeed.
   */
  private void handshake() {
    long deadline = System.nanoTime() + initTimeout().toNanos();
    long uid = nextId.getAndIncrement();
    JsonNode id = JsonRpc.NODES.numberNode(uid);
    ObjectNode request = JsonRpc.request(id, "initialize", UpstreamHello.initializeParams(clientCapabilities));
    // Before initialized, a server may only ping or log: such messages go to the listener.
    Call call = track(new Call(uid, id, "initialize", listener::onMessage, null));
    byte[] body = codec.write(request);
    Thread.ofVirtual().name("mcp-http-init-" + server.name()).start(() -> run(call, body, Mode.INITIALIZE));
    ObjectNode response;
    try {
      response = call.future.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.future.completeExceptionally(e);
      throw new BackendException(server.name(), "initialize not answered within " + initTimeout().toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof BackendException b) {
        throw b;
      }
      throw new BackendException(server.name(), "initialize failed: " + cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.future.completeExceptionally(e);
      throw new BackendException(server.name(), "interrupted during initialize");
    }
    String assigned = call.assignedSessionId;
    ObjectNode result;
    try {
      result = UpstreamHello.checkInitializeResponse(server.name(), response);
    } catch (JsonRpcException e) {
      deleteQuietly(assigned, null);
      throw e;
    }
    String version = result.path("protocolVersion").asString();
    byte[] initialized = codec.write(JsonRpc.notification("notifications/initialized", null));
    try (HttpReply reply = client.post(context, initialized, assigned, version, Math.max(1, remainingMillis(deadline)), null)) {
      if (reply.status() / 100 != 2) {
        throw new BackendException(server.name(), "HTTP " + reply.status() + " on notifications/initialized");
      }
    } catch (BackendException e) {
      deleteQuietly(assigned, version);
      throw e;
    }
    sessionId = assigned;
    protocolVersion = version;
    initializeResult = result;
    LOG.debug("server {}: upstream session initialized ({}{})", server.name(), version, assigned == null ? ", stateless" : "");
  }

  /**
   * Replaces an expired upstream session, unless another thread already did.
   *
   * @throws JsonRpcException when re-initialization fails; the session is then lost
   */
  private void reinitialize(String expiredSessionId) {
    handshakeLock.lock();
    try {
      if (ended.get()) {
        throw new BackendException(server.name(), "session closed");
      }
      if (!Objects.equals(sessionId, expiredSessionId)) {
        return; // another request already re-initialized
      }
      LOG.info("server {}: upstream session expired (HTTP 404); initializing a new one", server.name());
      stopStandalone();
      try {
        handshake();
      } catch (JsonRpcException e) {
        lose("upstream session expired and could not be re-initialized: " + e.getMessage());
        throw e;
      }
    } finally {
      handshakeLock.unlock();
    }
    startStandalone();
  }

  private void startStandalone() {
    if (ended.get()) {
      return;
    }
    HttpStandaloneStream stream = new HttpStandaloneStream(this, client, server);
    HttpStandaloneStream previous;
    synchronized (this) {
      previous = standalone;
      standalone = stream;
    }
    if (previous != null) {
      previous.stop();
    }
    stream.start();
  }

  private void stopStandalone() {
    HttpStandaloneStream stream;
    synchronized (this) {
      stream = standalone;
      standalone = null;
    }
    if (stream != null) {
      stream.stop();
    }
  }

  @Override
  public void close() {
    end(null, true);
  }

  /** Ends the session because the backend stops; the listener hears why. */
  void shutdown(String reason) {
    end(reason, true);
  }

  /** The upstream session is gone and cannot be replaced. */
  private void lose(String reason) {
    LOG.warn("server {}: {}", server.name(), reason);
    end(reason, false);
  }

  private void end(String reasonForListener, boolean delete) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    stopStandalone();
    failPending("Upstream '" + server.name() + "' session " + (reasonForListener == null ? "closed" : "ended: " + reasonForListener));
    if (delete) {
      deleteQuietly(sessionId, protocolVersion);
    }
    onEnd.accept(this);
    if (reasonForListener != null) {
      try {
        listener.onClosed(reasonForListener);
      } catch (RuntimeException e) {
        LOG.warn("server {}: listener failed on close", server.name(), e);
      }
    }
  }

  private void deleteQuietly(String sid, String version) {
    if (sid == null) {
      return;
    }
    try {
      int status = client.delete(context, sid, version, DELETE_TIMEOUT_MILLIS);
      if (status != 405 && status / 100 != 2 && status != 404) {
        LOG.debug("server {}: DELETE of upstream session answered HTTP {}", server.name(), status);
      }
    } catch (JsonRpcException e) {
      LOG.debug("server {}: DELETE of upstream session failed: {}", server.name(), e.getMessage());
    }
  }

  private void failPending(String message) {
    List<Call> calls = new ArrayList<>(pending.values());
    pending.clear();
    for (Call call : calls) {
      call.future.completeExceptionally(new JsonRpcException(JsonRpc.INTERNAL_ERROR, message));
    }
  }

  // ---------------------------------------------------------------- UpstreamSession

  @Override
  public ObjectNode initializeResult() {
    return initializeResult;
  }

  @Override
  public String protocolVersion() {
    return protocolVersion;
  }

  @Override
  public boolean isOpen() {
    return !ended.get();
  }

  @Override
  public UpstreamCall call(ObjectNode request, RelatedSink related) {
    if (ended.get()) {
      return UpstreamCall.failed(new BackendException(server.name(), "session closed"));
    }
    JsonNode originalId = request.get("id");
    String method = request.path("method").asString("");
    if (originalId == null || originalId.isNull() || method.isEmpty()) {
      return UpstreamCall.failed(new JsonRpcException(JsonRpc.INVALID_REQUEST, "not a JSON-RPC request"));
    }
    long uid = nextId.getAndIncrement();
    // A shallow copy with the upstream's id: it is only encoded, so it may share the request's
    // params (a deep copy cost a walk and a copy of every argument per call).
    ObjectNode out = JsonRpc.NODES.objectNode();
    out.setAll(request);
    out.put("id", uid);
    JsonNode token = out.path("params").path("_meta").get("progressToken");
    Call call = track(new Call(uid, originalId, method, related == null ? RelatedSink.NONE : related, token));
    byte[] body = codec.write(out);
    new Answer(call, body).send();
    return new UpstreamCall(call.future, reason -> cancel(call, reason));
  }

  @Override
  public void notify(ObjectNode notification) {
    if (!ended.get()) {
      post(notification, true);
    }
  }

  @Override
  public void respond(ObjectNode response) {
    if (!ended.get()) {
      // A response belongs to the upstream session that asked; after a re-initialize it is void.
      post(response, false);
    }
  }

  private Call track(Call call) {
    pending.put(call.upstreamId, call);
    call.future.whenComplete(
        (response, error) -> {
          pending.remove(call.upstreamId, call);
          if (error != null) {
            call.abortExchange();
          }
        });
    return call;
  }

  private void cancel(Call call, String reason) {
    if (!pending.remove(call.upstreamId, call)) {
      return; // answered or failed already
    }
    call.future.completeExceptionally(new CallCancelledException(reason));
    if (ended.get() || "initialize".equals(call.method)) {
      return;
    }
    ObjectNode params = JsonRpc.NODES.objectNode();
    params.put("requestId", call.upstreamId);
    if (reason != null) {
      params.put("reason", reason);
    }
    ObjectNode cancelled = JsonRpc.notification("notifications/cancelled", params);
    Thread.ofVirtual()
        .name("mcp-http-cancel-" + server.name())
        .start(
            () -> {
              try {
                post(cancelled, false);
              } catch (JsonRpcException e) {
                LOG.debug("server {}: cancellation not delivered: {}", server.name(), e.getMessage());
              }
            });
  }

  /** POSTs a notification or response and expects 202 (any 2xx is accepted). */
  private void post(ObjectNode message, boolean allowReinitialize) {
    String sid = sessionId;
    String what = message.has("method") ? message.path("method").asString() : "response";
    boolean expired;
    try (HttpReply reply = client.post(context, codec.write(message), sid, protocolVersion, requestWaitMillis(), null)) {
      int status = reply.status();
      expired = status == 404 && sid != null;
      if (!expired && status / 100 != 2) {
        throw new BackendException(server.name(), "HTTP " + status + " on " + what);
      }
    }
    if (expired) {
      if (!allowReinitialize) {
        throw new BackendException(server.name(), "upstream session expired (HTTP 404) before " + what);
      }
      reinitialize(sid);
      post(message, false);
    }
  }

  // ---------------------------------------------------------------- exchanges

  private enum Mode {
    /** initialize: no session id, no version header, remember the session id assigned. */
    INITIALIZE,
    /** a request that may re-initialize an expired session once. */
    REQUEST,
    /** a request retried after re-initialization. */
    RETRY
  }

  private void run(Call call, byte[] body, Mode mode) {
    guarded(call, () -> exchange(call, body, mode));
  }

  /** Runs the blocking part of an exchange; whatever happens, the call ends answered or failed. */
  private void guarded(Call call, Runnable work) {
    try {
      work.run();
    } catch (JsonRpcException e) {
      call.future.completeExceptionally(e);
    } catch (RuntimeException e) {
      if (call.future.isDone()) {
        // Cancelled (client cancellation, timeout) while the exchange ran: aborting the exchange is
        // what ended it with this exception, so it is no failure and needs no stack trace.
        LOG.debug("server {}: {} ended after cancellation: {}", server.name(), call.method, e.toString());
      } else {
        LOG.warn("server {}: {} failed", server.name(), call.method, e);
      }
      call.future.completeExceptionally(
          new JsonRpcException(JsonRpc.INTERNAL_ERROR, "Upstream '" + server.name() + "': " + call.method + " failed"));
    } finally {
      if (!call.future.isDone()) {
        call.future.completeExceptionally(
            new JsonRpcException(
                JsonRpc.INTERNAL_ERROR,
                "Upstream '" + server.name() + "' ended the exchange without answering " + call.method));
      }
    }
  }

  private void exchange(Call call, byte[] body, Mode mode) {
    String sid = mode == Mode.INITIALIZE ? null : sessionId;
    String version = mode == Mode.INITIALIZE ? null : protocolVersion;
    // With slack, as for requests: the handshake's own deadline (which aborts this exchange) fires
    // first and says "initialize not answered", instead of racing the HTTP wait to the same instant.
    long wait = mode == Mode.INITIALIZE ? initTimeout().toMillis() + TIMEOUT_SLACK_MILLIS : requestWaitMillis();
    answer(call, body, mode, sid, client.post(context, body, sid, version, wait, call::abortable));
  }

  /** Reads one reply to a call (JSON, SSE, or a refusal), retrying once on an expired session. */
  private void answer(Call call, byte[] body, Mode mode, String sid, HttpReply reply) {
    try {
      if (call.future.isDone()) {
        return;
      }
      int status = reply.status();
      if (status == 404 && sid != null && mode == Mode.REQUEST) {
        reply.close();
        reinitialize(sid);
        exchange(call, body, Mode.RETRY);
        return;
      }
      if (status / 100 != 2 || status == 202 || status == 204) {
        throw httpError(reply, call);
      }
      if (mode == Mode.INITIALIZE) {
        call.assignedSessionId = checkSessionId(reply.header(ProtocolVersions.SESSION_HEADER));
      }
      if (reply.isEventStream()) {
        stream(call, reply);
      } else if (reply.isJson()) {
        readJson(call, reply);
      } else {
        throw new JsonRpcException(
            JsonRpc.INTERNAL_ERROR,
            "Upstream '" + server.name() + "' answered " + call.method + " with unexpected content type '" + reply.mediaType() + "'");
      }
    } finally {
      reply.close();
    }
  }

  private void readJson(Call call, HttpReply reply) {
    byte[] bytes;
    try {
      bytes = reply.readBody(HttpUpstreamClient.MAX_BODY_BYTES);
    } catch (IOException e) {
      if (call.future.isDone()) {
        return;
      }
      throw unreadable(call, e.getMessage());
    }
    routeJson(call, bytes);
  }

  /** Routes a call's answer that came as one JSON body (read as a stream or where it arrived). */
  private void routeJson(Call call, byte[] bytes) {
    JsonNode node = parseUpstream(bytes, call.method);
    if (node instanceof ObjectNode message) {
      route(message, call);
    } else {
      throw new JsonRpcException(
          JsonRpc.INTERNAL_ERROR, "Upstream '" + server.name() + "' answered " + call.method + " with a non-object JSON value");
    }
  }

  /** The error for a call whose answer could not be read. */
  private JsonRpcException unreadable(Call call, Object detail) {
    return new JsonRpcException(
        JsonRpc.INTERNAL_ERROR, "Upstream '" + server.name() + "' response to " + call.method + " unreadable: " + detail);
  }

  /**
   * Reads a call's SSE stream to its response, resuming with GET and Last-Event-ID when the stream
   * is cut before the response arrives.
   */
  private void stream(Call call, HttpReply first) {
    HttpReply reply = first;
    String lastEventId = "";
    long retry = -1;
    int fruitless = 0;
    while (true) {
      SseParser parser = new SseParser(reply.body());
      String before = lastEventId;
      try {
        SseParser.Event event;
        while ((event = parser.next()) != null) {
          dispatch(event, call);
          if (call.future.isDone()) {
            return;
          }
        }
      } catch (SseParser.OversizeException e) {
        throw new JsonRpcException(JsonRpc.INTERNAL_ERROR, "Upstream '" + server.name() + "' sent a " + e.getMessage());
      } catch (IOException e) {
        if (call.future.isDone()) {
          return;
        }
        LOG.debug("server {}: stream of {} cut: {}", server.name(), call.method, e.toString());
      } finally {
        if (!parser.lastEventId().isEmpty()) {
          lastEventId = parser.lastEventId();
        }
        if (parser.retryMillis() >= 0) {
          retry = parser.retryMillis();
        }
        if (reply != first) {
          reply.close();
        }
      }
      if (call.future.isDone() || ended.get()) {
        return;
      }
      if (lastEventId.isEmpty()) {
        throw new JsonRpcException(
            JsonRpc.INTERNAL_ERROR,
            "Upstream '" + server.name() + "' ended the stream of " + call.method + " without a response and without an event id to resume from");
      }
      fruitless = lastEventId.equals(before) ? fruitless + 1 : 0;
      if (fruitless >= MAX_RESUME_ATTEMPTS) {
        throw new JsonRpcException(
            JsonRpc.INTERNAL_ERROR,
            "Upstream '" + server.name() + "' stream of " + call.method + " could not be resumed after " + fruitless + " attempts");
      }
      long delay = retry >= 0 ? retry : RESUME_BASE_DELAY_MILLIS << Math.min(fruitless, 6);
      if (!sleep(Math.min(delay, RESUME_MAX_DELAY_MILLIS)) || call.future.isDone()) {
        return;
      }
      LOG.debug("server {}: resuming the stream of {}", server.name(), call.method);
      reply = client.get(context, sessionId, protocolVersion, lastEventId, false, requestWaitMillis(), call::abortable);
      if (reply.status() != 200 || !reply.isEventStream()) {
        int status = reply.status();
        reply.close();
        throw new JsonRpcException(
            JsonRpc.INTERNAL_ERROR,
            "Upstream '" + server.name() + "' refused to resume the stream of " + call.method + " (HTTP " + status + ")");
      }
    }
  }

  /** An HTTP refusal; an explaining JSON-RPC error for this very request passes through instead. */
  private JsonRpcException httpError(HttpReply reply, Call call) {
    int status = reply.status();
    if (reply.isJson()) {
      try {
        JsonNode node = codec.parse(reply.readBody(HttpUpstreamClient.MAX_SMALL_BODY_BYTES));
        if (node instanceof ObjectNode message && message.get("error") instanceof ObjectNode) {
          JsonNode id = message.get("id");
          if (id == null || id.isNull() || (id.isIntegralNumber() && id.asLong() == call.upstreamId)) {
            ObjectNode restored = message.deepCopy();
            restored.set("id", call.originalId);
            call.future.complete(restored);
          }
        }
      } catch (IOException | JsonRpcException e) {
        // Not an explanation we can use; the status speaks.
      }
    }
    String detail = status == 202 || status == 204 ? "accepted " + call.method + " without answering (HTTP " + status + ")" : "HTTP " + status + " on " + call.method;
    return new BackendException(server.name(), detail);
  }

  // ---------------------------------------------------------------- routing

  /** Handles one SSE event; {@code owner} is the call whose stream carried it, null on GET. */
  void dispatch(SseParser.Event event, Call owner) {
    if (!"message".equals(event.type())) {
      LOG.debug("server {}: SSE event of type '{}' ignored", server.name(), event.type());
      return;
    }
    if (event.data().isBlank()) {
      return; // a priming event: only its id matters
    }
    JsonNode node;
    try {
      node = codec.parse(event.data());
    } catch (JsonRpcException e) {
      LOG.warn("server {}: unparseable SSE event dropped: {}", server.name(), e.getMessage());
      return;
    }
    if (node instanceof ObjectNode message) {
      route(message, owner);
    } else {
      LOG.warn("server {}: SSE event that is not a JSON object dropped", server.name());
    }
  }

  private void route(ObjectNode message, Call owner) {
    JsonNode method = message.get("method");
    JsonNode id = message.get("id");
    if (method == null) {
      Call call = id != null && id.isIntegralNumber() && id.canConvertToLong() ? pending.remove(id.asLong()) : null;
      if (call == null) {
        LOG.debug("server {}: response to an unknown or cancelled request dropped", server.name());
        return;
      }
      // The message was parsed for this call alone: restore the id in place, no copy.
      message.set("id", call.originalId);
      call.future.complete(message);
      return;
    }
    String m = method.asString("");
    if (id != null && "ping".equals(m)) {
      answerPing(id);
      return;
    }
    Consumer<ObjectNode> sink = owner != null ? owner.related::onMessage : unrelatedSink(message, m);
    try {
      sink.accept(message);
    } catch (RuntimeException e) {
      LOG.warn("server {}: handler of '{}' failed", server.name(), m, e);
    }
  }

  /**
   * Where a message outside any call's stream goes: progress to its call (or nowhere once the call
   * has ended, as progress may only name active requests), the rest to the listener.
   */
  private Consumer<ObjectNode> unrelatedSink(ObjectNode message, String method) {
    if ("notifications/progress".equals(method)) {
      JsonNode token = message.path("params").get("progressToken");
      if (token != null) {
        for (Call call : pending.values()) {
          if (token.equals(call.progressToken)) {
            return call.related::onMessage;
          }
        }
      }
      return m -> LOG.debug("server {}: progress for no active request dropped", server.name());
    }
    return listener::onMessage;
  }

  /** Pings concern the gateway's own connection, so the gateway answers them itself. */
  private void answerPing(JsonNode id) {
    ObjectNode pong = JsonRpc.result(id, JsonRpc.NODES.objectNode());
    Thread.ofVirtual()
        .name("mcp-http-pong-" + server.name())
        .start(
            () -> {
              try {
                post(pong, false);
              } catch (JsonRpcException e) {
                LOG.debug("server {}: ping answer not delivered: {}", server.name(), e.getMessage());
              }
            });
  }

  // ---------------------------------------------------------------- answers read without a thread

  /**
   * One request's exchange, read on the HTTP client's own threads when the answer is plain JSON.
   *
   * <p>Why: most calls are answered with one small JSON object. Reading it where it arrives and
   * completing the call there wakes the waiting caller once; a virtual thread per call blocking on
   * the headers and then on the body cost two more hand-offs (futex wake-ups, context switches)
   * per proxied call. Any other answer (an SSE stream, an expired session, a refusal) is handed at
   * its headers to a virtual thread that reads it as a stream, exactly as a blocking exchange does.
   */
  private final class Answer implements Response.Listener {
    private final Call call;
    private final byte[] body;
    private final String sid;
    private final long waitMillis;
    private final Request request;
    /** Set at the headers when the answer is read as a stream by a virtual thread. */
    private InputStreamResponseListener streamed;
    private boolean headersSeen;
    private byte[] buffer;
    private int length;
    private boolean tooLarge;

    Answer(Call call, byte[] body) {
      this.call = call;
      this.body = body;
      this.sid = sessionId;
      this.waitMillis = requestWaitMillis();
      this.request = client.newPost(context, body, sid, protocolVersion, waitMillis);
    }

    void send() {
      call.abortable(() -> request.abort(new CancellationException("POST aborted")));
      client.send(request, this);
    }

    @Override
    public void onHeaders(Response response) {
      headersSeen = true;
      int status = response.getStatus();
      client.noteRejection(status, context);
      if (call.future.isDone()) {
        request.abort(new CancellationException("call ended"));
        return;
      }
      if (status / 100 == 2 && status != 202 && status != 204 && HttpReply.isJson(HttpReply.mediaType(response))) {
        long declared = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > HttpUpstreamClient.MAX_BODY_BYTES) {
          tooLarge = true;
          request.abort(new IOException("response body too large"));
          return;
        }
        buffer = new byte[declared >= 0 ? (int) declared : 1024];
        return;
      }
      streamed = new InputStreamResponseListener();
      streamed.onHeaders(response);
      HttpReply reply = new HttpReply(request, response, streamed.getInputStream());
      Thread.ofVirtual()
          .name("mcp-http-call-" + server.name() + "-" + call.upstreamId)
          .start(() -> guarded(call, () -> answer(call, body, Mode.REQUEST, sid, reply)));
    }

    @Override
    public void onContent(Response response, Content.Chunk chunk, Runnable demander) {
      if (streamed != null) {
        streamed.onContent(response, chunk, demander);
        return;
      }
      if (buffer == null) {
        demander.run(); // aborted at the headers; the failure follows
        return;
      }
      ByteBuffer bytes = chunk.getByteBuffer();
      int n = bytes.remaining();
      if (length + n > HttpUpstreamClient.MAX_BODY_BYTES) {
        tooLarge = true;
        request.abort(new IOException("response body too large"));
        return;
      }
      if (length + n > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.min(HttpUpstreamClient.MAX_BODY_BYTES, Math.max(length + n, buffer.length * 2)));
      }
      bytes.get(buffer, length, n);
      length += n;
      demander.run();
    }

    @Override
    public void onSuccess(Response response) {
      if (streamed != null) {
        streamed.onSuccess(response);
      }
    }

    @Override
    public void onFailure(Response response, Throwable failure) {
      if (streamed != null) {
        streamed.onFailure(response, failure);
      }
    }

    @Override
    public void onComplete(Result result) {
      if (streamed != null) {
        streamed.onComplete(result);
        return;
      }
      if (call.future.isDone()) {
        return;
      }
      if (result.isFailed()) {
        call.future.completeExceptionally(failure(result.getFailure()));
        return;
      }
      guarded(call, () -> routeJson(call, length == buffer.length ? buffer : Arrays.copyOf(buffer, length)));
    }

    /** The same errors a blocking exchange reports for the same failures. */
    private JsonRpcException failure(Throwable cause) {
      if (tooLarge) {
        return unreadable(call, "response body exceeds " + HttpUpstreamClient.MAX_BODY_BYTES + " bytes");
      }
      if (headersSeen) {
        return unreadable(call, cause);
      }
      if (cause instanceof TimeoutException) {
        return new BackendException(server.name(), "no answer to POST within " + waitMillis + " ms");
      }
      return client.failure("POST", cause);
    }
  }

  // ---------------------------------------------------------------- helpers

  private JsonNode parseUpstream(byte[] bytes, String method) {
    try {
      return codec.parse(bytes);
    } catch (JsonRpcException e) {
      throw new JsonRpcException(
          JsonRpc.INTERNAL_ERROR, "Upstream '" + server.name() + "' answered " + method + " with invalid JSON: " + e.getMessage());
    }
  }

  private String checkSessionId(String id) {
    if (id == null) {
      return null;
    }
    if (id.isEmpty() || id.length() > MAX_SESSION_ID_LENGTH || !id.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
      throw new BackendException(server.name(), "upstream assigned an invalid session id");
    }
    return id;
  }

  private Duration initTimeout() {
    Duration d = server.initTimeout();
    return d == null || d.isZero() || d.isNegative() ? Duration.ofSeconds(30) : d;
  }

  /** Longest wait for an answer's headers, and longest silence on its body. */
  private long requestWaitMillis() {
    Duration d = server.requestTimeout();
    long base = d == null || d.isZero() || d.isNegative() ? 60_000 : d.toMillis();
    return base + TIMEOUT_SLACK_MILLIS;
  }

  private static long remainingMillis(long deadlineNanos) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  /** Sleeps; false when interrupted. */
  static boolean sleep(long millis) {
    try {
      Thread.sleep(Math.max(0, millis));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether a call to this upstream id is in flight; for tests. */
  boolean isPending(long upstreamId) {
    return pending.containsKey(upstreamId);
  }
}
