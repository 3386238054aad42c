package io.mcpwarden.core.dispatch;

import io.mcpwarden.core.audit.AuditEvent;
import io.mcpwarden.core.audit.AuditLog;
import io.mcpwarden.core.auth.AuthContext;
import io.mcpwarden.core.backend.Backend;
import io.mcpwarden.core.backend.RelatedSink;
import io.mcpwarden.core.backend.UpstreamListener;
import io.mcpwarden.core.backend.UpstreamSession;
import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.guard.Exchange;
import io.mcpwarden.core.guard.GuardChain;
import io.mcpwarden.core.guard.Outcome;
import io.mcpwarden.core.message.Envelope;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.message.JsonRpcException;
import io.mcpwarden.core.protocol.ProtocolVersions;
import io.mcpwarden.core.route.LogLevels;
import io.mcpwarden.core.route.Router;
import io.mcpwarden.core.route.ServerRequestScreen;
import io.mcpwarden.core.route.UpstreamRelay;
import io.mcpwarden.core.session.EventStream;
import io.mcpwarden.core.session.FrontSession;
import io.mcpwarden.core.secret.Secret;
import io.mcpwarden.core.session.SessionStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Handles each message of a front session after the edge has checked its transport: lifecycle and
 * local methods here, everything else through the guard chain to the router.
 *
 * <p>It also relays what upstreams send to the client, mapping ids so a client's answer goes back
 * to the upstream that asked, and emits one audit event per request.
 */
public final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final Duration OPEN_TIMEOUT_SLACK = Duration.ofSeconds(1);
  private static final Duration RETRY_INTERVAL = Duration.ofSeconds(5);

  private final GatewayConfig config;
  private final List<Backend> backends;
  private final SessionStore sessions;
  private final GuardChain chain;
  private final Router router;
  private final AuditLog audit;
  private final ServerRequestScreen outOfCall;

  public Dispatcher(
      GatewayConfig config,
      List<Backend> backends,
      SessionStore sessions,
      GuardChain chain,
      Router router,
      AuditLog audit) {
    this(config, backends, sessions, chain, router, audit, ServerRequestScreen.NONE);
  }

  /**
   * @param outOfCall screens the requests upstreams send outside any call (sampling, elicitation)
   *     before a client sees them; those of a call go through the guard chain instead
   */
  public Dispatcher(
      GatewayConfig config,
      List<Backend> backends,
      SessionStore sessions,
      GuardChain chain,
      Router router,
      AuditLog audit,
      ServerRequestScreen outOfCall) {
    this.outOfCall = outOfCall;
    this.config = config;
    this.backends = List.copyOf(backends);
    this.sessions = sessions;
    this.chain = chain;
    this.router = router;
    this.audit = audit;
  }

  /** A new session and the InitializeResult response to send with its id. */
  public record Initialized(FrontSession session, ObjectNode response) {}

  /**
   * Creates a session for an initialize request: opens one upstream session per backend in
   * parallel; an upstream that fails is left out (its tools are not listed), the session does not
   * fail.
   */
  public Initialized initialize(Envelope request, String subject) {
    return initialize(request, subject, null);
  }

  /**
   * Creates a session for an initialize request sent with a validated token.
   *
   * @param subjectToken the client's validated access token (null when auth is off): upstreams
   *     configured for token exchange exchange it for their own token; it never goes upstream
   */
  public Initialized initialize(Envelope request, String subject, Secret subjectToken) {
    long start = System.nanoTime();
    ObjectNode params = request.params();
    if (params == null || !params.path("protocolVersion").isString() || !(params.get("capabilities") instanceof ObjectNode)) {
      throw new JsonRpcException(JsonRpc.INVALID_PARAMS, "initialize needs params.protocolVersion and params.capabilities");
    }
    if (!sessions.hasCapacity()) {
      throw new JsonRpcException(JsonRpc.LIMIT_EXCEEDED, "Too many sessions; try again later");
    }
    String version = ProtocolVersions.negotiate(params.get("protocolVersion").asString());
    ObjectNode clientCaps = (ObjectNode) params.get("capabilities");
    FrontSession session = new FrontSession(SessionStore.newId(), subject, version, clientCaps.deepCopy(), sessions.now());
    session.updateSubjectToken(subjectToken);
    openUpstreams(session);
    sessions.put(session);
    ObjectNode result = JsonRpc.NODES.objectNode();
    result.put("protocolVersion", version);
    result.set("capabilities", capabilities(session));
    ObjectNode info = result.putObject("serverInfo");
    info.put("name", "mcp-warden");
    info.put("title", "MCP Warden gateway");
    info.put("version", "0.1.0");
    String unavailable = session.unavailable().isEmpty() ? null : "unavailable upstreams: " + session.unavailable().keySet();
    audit(new AuditEvent(sessions.now(), "session.start", subject, session.id(), "initialize", null, null,
        "allow", 200, 0, micros(start), unavailable));
    return new Initialized(session, JsonRpc.result(request.id(), result));
  }

  private void openUpstreams(FrontSession session) {
    List<CompletableFuture<UpstreamSession>> futures = new ArrayList<>();
    for (Backend b : backends) {
      UpstreamListener listener = new SessionListener(session, b.name());
      futures.add(CompletableFuture.supplyAsync(() -> b.open(listener, session.clientCapabilities(), session.upstreamContext()), Thread::startVirtualThread));
    }
    for (int i = 0; i < backends.size(); i++) {
      Backend b = backends.get(i);
      try {
        long wait = b.config().initTimeout().plus(OPEN_TIMEOUT_SLACK).toMillis();
        session.addUpstream(b.name(), futures.get(i).get(wait, TimeUnit.MILLISECONDS));
      } catch (ExecutionException e) {
        LOG.warn("server {}: unavailable for session: {}", b.name(), e.getCause().getMessage());
        session.markUnavailable(b.name(), String.valueOf(e.getCause().getMessage()));
      } catch (TimeoutException e) {
        session.markUnavailable(b.name(), "initialize timed out");
        futures.get(i).thenAccept(UpstreamSession::close);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        session.markUnavailable(b.name(), "interrupted");
      }
    }
  }

  /**
   * Retries upstreams that were unavailable when a session started, so a server that comes back
   * reappears in that session (with a list_changed to tell the client) instead of staying missing
   * until the client reconnects. Triggered by the session's list requests (a client re-lists after
   * list_changed); each attempt runs on its own virtual thread, at most one per session and server
   * is in flight, and a server is retried at most every {@link #RETRY_INTERVAL}.
   */
  void retryUnavailable(FrontSession session) {
    for (String server : session.unavailable().keySet()) {
      Backend backend = backends.stream().filter(b -> b.name().equals(server)).findFirst().orElse(null);
      if (backend == null || !session.beginRetry(server, System.nanoTime(), RETRY_INTERVAL.toNanos())) {
        continue;
      }
      Thread.startVirtualThread(() -> {
        try {
          UpstreamSession up = backend.open(new SessionListener(session, server), session.clientCapabilities(), session.upstreamContext());
          if (session.closed()) {
            up.close();
            return;
          }
          session.addUpstream(server, up);
          router.invalidate(session, server, null);
          LOG.info("server {}: available again for session {}", server, session.id().substring(0, 8));
          EventStream target = session.standaloneTarget();
          if (target != null) {
            for (String kind : List.of("tools", "prompts", "resources")) {
              if (up.initializeResult().path("capabilities").has(kind)) {
                target.append(JsonRpc.notification("notifications/" + kind + "/list_changed", null));
              }
            }
          }
        } catch (RuntimeException e) {
          LOG.debug("server {}: still unavailable: {}", server, e.getMessage());
        } finally {
          session.endRetry(server);
        }
      });
    }
  }

  /** What the gateway serves: the union of what its upstreams serve, plus its own logging. */
  private static ObjectNode capabilities(FrontSession session) {
    ObjectNode caps = JsonRpc.NODES.objectNode();
    caps.putObject("logging");
    boolean subscribe = false;
    for (Map.Entry<String, UpstreamSession> e : session.upstreams()) {
      JsonNode up = e.getValue().initializeResult().path("capabilities");
      if (up.has("tools")) {
        caps.putObject("tools").put("listChanged", true);
      }
      if (up.has("prompts")) {
        caps.putObject("prompts").put("listChanged", true);
      }
      if (up.has("resources")) {
        subscribe |= up.path("resources").path("subscribe").asBoolean(false);
        ObjectNode r = caps.putObject("resources");
        r.put("listChanged", true);
        r.put("subscribe", subscribe);
      }
      if (up.has("completions")) {
        caps.putObject("completions");
      }
    }
    return caps;
  }

  /**
   * Handles a request of an initialized session.
   *
   * @param related where messages belonging to this request go (its stream)
   * @return the response, or null when the client cancelled the request
   */
  public ObjectNode request(FrontSession session, Envelope request, RelatedSink related) {
    return request(session, request, related, null);
  }

  /**
   * Handles a request of an initialized session sent with a validated token.
   *
   * @param auth the request's authentication (guards check scopes against it); null when off
   */
  public ObjectNode request(FrontSession session, Envelope request, RelatedSink related, AuthContext auth) {
    return handle(session, request, related, auth).response();
  }

  /**
   * A request's response with what HTTP should say about it.
   *
   * @param response the JSON-RPC response, or null when the client cancelled the request
   * @param httpStatus the status for the POST that carried the request (429 over a rate or
   *     concurrency limit, else 200)
   * @param retryAfterSeconds for a 429, the {@code Retry-After} value; else 0
   */
  public record Reply(ObjectNode response, int httpStatus, long retryAfterSeconds) {}

  /** Like {@link #request(FrontSession, Envelope, RelatedSink, AuthContext)}, with the HTTP status. */
  public Reply handle(FrontSession session, Envelope request, RelatedSink related, AuthContext auth) {
    long start = System.nanoTime();
    String method = request.method();
    if (method.endsWith("/list") && !session.unavailable().isEmpty()) {
      retryUnavailable(session);
    }
    Exchange ex = new Exchange(request, session, related, start, auth);
    Outcome outcome;
    try {
      outcome = switch (method) {
        case "ping" -> new Outcome.Respond(JsonRpc.result(request.id(), JsonRpc.NODES.objectNode()));
        case "logging/setLevel" -> setLevel(session, request);
        case "initialize" -> new Outcome.Deny(JsonRpc.INVALID_REQUEST, "Session already initialized");
        default -> chain.run(ex);
      };
    } catch (JsonRpcException e) {
      outcome = new Outcome.Deny(e.code(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("request {} failed", method, e);
      outcome = new Outcome.Deny(JsonRpc.INTERNAL_ERROR, "Internal error");
    }
    ObjectNode response = outcome.response(request.id());
    // Every request is audited, pings included: the log must account for all traffic.
    String decision = switch (outcome) {
      case Outcome.Deny d -> "deny";
      case Outcome.Limited l -> "deny";
      case Outcome.Cancelled c -> "cancelled";
      default -> JsonRpc.errorCode(response) != 0 ? "error" : "allow";
    };
    String detail = switch (outcome) {
      case Outcome.Deny d -> d.reason();
      case Outcome.Limited l -> "limit " + l.limit() + ": " + l.reason();
      default -> null;
    };
    int status = outcome instanceof Outcome.Limited l ? l.httpStatus() : 200;
    audit(new AuditEvent(sessions.now(), "mcp.request", session.subject(), session.id(), method, ex.server(),
        ex.target(), decision, status, response == null ? 0 : JsonRpc.errorCode(response), micros(start), detail));
    return new Reply(response, status, status == 429 ? ((Outcome.Limited) outcome).retryAfterSeconds() : 0);
  }

  private Outcome setLevel(FrontSession session, Envelope request) {
    String level = request.param("level");
    if (!LogLevels.valid(level)) {
      return new Outcome.Deny(JsonRpc.INVALID_PARAMS, "Invalid log level: " + level);
    }
    session.logLevel(level);
    return new Outcome.Respond(JsonRpc.result(request.id(), JsonRpc.NODES.objectNode()));
  }

  /** Handles a notification from the client (answered 202 by the edge whatever happens here). */
  public void notification(FrontSession session, Envelope n) {
    switch (n.method()) {
      case "notifications/initialized" -> session.markInitialized();
      case "notifications/cancelled" -> {
        JsonNode id = n.params() == null ? null : n.params().get("requestId");
        FrontSession.InFlight f = id == null ? null : session.inFlight().get(id);
        if (f != null) {
          f.call().cancel(n.param("reason") == null ? "Cancelled by client" : n.param("reason"));
        }
      }
      case "notifications/roots/list_changed" -> {
        for (Map.Entry<String, UpstreamSession> e : session.upstreams()) {
          if (e.getValue().isOpen()) {
            e.getValue().notify(n.raw());
          }
        }
      }
      default -> LOG.debug("notification {} ignored", n.method());
    }
  }

  /** Routes a client's answer to a server-to-client request back to the upstream that asked. */
  public boolean response(FrontSession session, Envelope r) {
    FrontSession.ServerRequest pending = session.takeServerRequest(r.id());
    if (pending == null) {
      return false;
    }
    ObjectNode out = r.raw().deepCopy();
    out.set("id", pending.upstreamId());
    pending.upstream().respond(out);
    return true;
  }

  /** Ends a session and the upstream sessions opened for it. */
  public void end(FrontSession session, String reason) {
    sessions.remove(session);
    audit(new AuditEvent(sessions.now(), "session.end", session.subject(), session.id(), null, null, null,
        "allow", 200, 0, 0, reason));
  }

  public void audit(AuditEvent e) {
    audit.append(e);
  }

  private static long micros(long startNanos) {
    return (System.nanoTime() - startNanos) / 1000;
  }

  // ------------------------------------------------------------ upstream → client

  /** Receives an upstream session's unrelated messages for one front session. */
  private final class SessionListener implements UpstreamListener {
    private final FrontSession session;
    private final String server;

    SessionListener(FrontSession session, String server) {
      this.session = session;
      this.server = server;
    }

    @Override
    public void onMessage(ObjectNode msg) {
      if (session.closed()) {
        return;
      }
      String method = msg.path("method").asString("");
      if (method.endsWith("/list_changed")) {
        router.invalidate(session, server, method);
        toStandalone(JsonRpc.notification(method, null));
        return;
      }
      if ("notifications/resources/updated".equals(method)) {
        if (session.subscriptions().contains(msg.path("params").path("uri").asString(""))) {
          toStandalone(msg);
        }
        return;
      }
      if ("notifications/cancelled".equals(method)) {
        return; // upstream withdrew one of its own requests; the client simply never gets to answer
      }
      UpstreamSession up = session.upstream(server);
      if (up != null) {
        EventStream target = session.standaloneTarget();
        UpstreamRelay.deliver(session, server, up, msg, target == null ? null : target::append, outOfCall);
      }
    }

    @Override
    public void onClosed(String reason) {
      if (session.closed()) {
        return;
      }
      router.invalidate(session, server, null);
      toStandalone(JsonRpc.notification("notifications/tools/list_changed", null));
    }

    private void toStandalone(ObjectNode msg) {
      EventStream target = session.standaloneTarget();
      if (target != null) {
        target.append(msg);
      }
    }
  }
}
