package io.mcpwarden.core.session;

import io.mcpwarden.core.auth.Principal;
import io.mcpwarden.core.backend.UpstreamCall;
import io.mcpwarden.core.backend.UpstreamSession;
import io.mcpwarden.core.backend.credential.UpstreamContext;
import io.mcpwarden.core.secret.Secret;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client's MCP session with the gateway, owned by one principal.
 *
 * <p>Holds everything that must never cross to another session: the upstream sessions opened for
 * it, calls in flight, server-to-client requests awaiting its answer, and its SSE streams.
 */
public final class FrontSession {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String id;
  private final String subject;
  private final String protocolVersion;
  private final ObjectNode clientCapabilities;
  private final Instant createdAt;
  private final byte[] cursorKey = new byte[32];
  private final Map<String, UpstreamSession> upstreams = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, String> unavailable = new ConcurrentHashMap<>();
  private final Set<String> retrying = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> lastRetryNanos = new ConcurrentHashMap<>();
  private final Map<JsonNode, InFlight> inFlight = new ConcurrentHashMap<>();
  private final Map<String, ServerRequest> serverRequests = new ConcurrentHashMap<>();
  private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
  private final Map<String, EventStream> streams = new ConcurrentHashMap<>();
  private final AtomicLong streamSeq = new AtomicLong();
  private final AtomicLong serverRequestSeq = new AtomicLong();
  private final AtomicInteger liveGetStreams = new AtomicInteger();
  private final Object catalogLock = new Object();
  private volatile Instant lastAccess;
  private volatile Secret subjectToken;
  private volatile Principal principal;
  private volatile boolean initialized;
  private volatile String logLevel;
  private volatile boolean closed;
  private Object catalog;

  /** A call in flight, so a client's cancellation can reach it. */
  public record InFlight(UpstreamCall call, long startedNanos) {}

  /** A request an upstream sent to this client, awaiting the client's answer. */
  public record ServerRequest(UpstreamSession upstream, JsonNode upstreamId, String server) {}

  public FrontSession(String id, String subject, String protocolVersion, ObjectNode clientCapabilities, Instant now) {
    this.id = id;
    this.subject = subject;
    this.protocolVersion = protocolVersion;
    this.clientCapabilities = clientCapabilities;
    this.createdAt = now;
    this.lastAccess = now;
    RANDOM.nextBytes(cursorKey);
  }

  public String id() {
    return id;
  }

  public String subject() {
    return subject;
  }

  /**
   * Records the client's validated access token of the latest request. The edge calls this on
   * every authenticated request of the session, so the token used for RFC 8693 exchange is
   * always the client's current one. The token is held for that exchange only; it is never sent
   * to an upstream.
   */
  public void updateSubjectToken(Secret token) {
    this.subjectToken = token;
  }

  /** The client's latest validated access token, or null when the front is unauthenticated. */
  public Secret subjectToken() {
    return subjectToken;
  }

  /**
   * Records the principal of the session's latest authenticated request (the edge calls this with
   * {@link #updateSubjectToken}). Work done outside any request, such as telling the client that a
   * policy reload changed what it may see, decides with it; requests decide with their own.
   */
  public void updatePrincipal(Principal principal) {
    this.principal = principal;
  }

  /** The principal of the latest authenticated request, or null when the front is unauthenticated (anonymous). */
  public Principal principal() {
    return principal;
  }

  /** On whose behalf this session's upstream sessions make requests; reads the token live. */
  public UpstreamContext upstreamContext() {
    return new UpstreamContext(subject, this::subjectToken);
  }

  public String protocolVersion() {
    return protocolVersion;
  }

  public ObjectNode clientCapabilities() {
    return clientCapabilities;
  }

  /** Whether the client declared a capability, e.g. {@code sampling}. */
  public boolean clientSupports(String capability) {
    return clientCapabilities != null && clientCapabilities.has(capability);
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant lastAccess() {
    return lastAccess;
  }

  public void touch(Instant now) {
    lastAccess = now;
  }

  /** Key for signing this session's list cursors, so cursors are worthless in another session. */
  public byte[] cursorKey() {
    return cursorKey.clone();
  }

  public boolean initialized() {
    return initialized;
  }

  public void markInitialized() {
    initialized = true;
  }

  public String logLevel() {
    return logLevel;
  }

  public void logLevel(String level) {
    logLevel = level;
  }

  public boolean closed() {
    return closed;
  }

  // ---- upstreams

  public void addUpstream(String server, UpstreamSession upstream) {
    upstreams.put(server, upstream);
    unavailable.remove(server);
  }

  public void markUnavailable(String server, String reason) {
    unavailable.put(server, reason);
  }

  public UpstreamSession upstream(String server) {
    return upstreams.get(server);
  }

  /** Upstream sessions in configuration order. */
  public List<Map.Entry<String, UpstreamSession>> upstreams() {
    synchronized (upstreams) {
      return new ArrayList<>(upstreams.entrySet());
    }
  }

  /**
   * Claims the right to retry an unavailable upstream; false when an attempt is in flight or the
   * last one started less than {@code intervalNanos} ago.
   */
  public boolean beginRetry(String server, long nowNanos, long intervalNanos) {
    Long last = lastRetryNanos.get(server);
    if (last != null && nowNanos - last < intervalNanos) {
      return false;
    }
    if (!retrying.add(server)) {
      return false;
    }
    lastRetryNanos.put(server, nowNanos);
    return true;
  }

  public void endRetry(String server) {
    retrying.remove(server);
  }

  public Map<String, String> unavailable() {
    return Map.copyOf(unavailable);
  }

  // ---- calls

  public Map<JsonNode, InFlight> inFlight() {
    return inFlight;
  }

  /** Registers a server-to-client request and returns the id the client will see. */
  public String registerServerRequest(ServerRequest request) {
    String gatewayId = "srv-" + serverRequestSeq.incrementAndGet();
    serverRequests.put(gatewayId, request);
    return gatewayId;
  }

  public ServerRequest takeServerRequest(JsonNode id) {
    return id != null && id.isString() ? serverRequests.remove(id.asString()) : null;
  }

  public Set<String> subscriptions() {
    return subscriptions;
  }

  // ---- catalog (owned by the router; stored here so it dies with the session)

  public Object catalogLock() {
    return catalogLock;
  }

  public Object catalog() {
    return catalog;
  }

  public void catalog(Object value) {
    catalog = value;
  }

  // ---- streams

  /** Opens a new stream; request streams carry one request's messages, standalone ones GET traffic. */
  public EventStream newStream(boolean standalone, int capacity) {
    String sid = Long.toString(streamSeq.incrementAndGet(), 36);
    EventStream s = new EventStream(sid, standalone, capacity);
    streams.put(sid, s);
    return s;
  }

  public EventStream stream(String streamId) {
    return streams.get(streamId);
  }

  public void dropStream(EventStream s) {
    streams.remove(s.id());
  }

  /**
   * The standalone stream that should carry an unrelated message: the most recently active one
   * with a live reader, else the most recent one, else null. Exactly one stream gets each message.
   */
  public EventStream standaloneTarget() {
    EventStream best = null;
    for (EventStream s : streams.values()) {
      if (!s.standalone() || s.ended()) {
        continue;
      }
      if (best == null
          || (s.hasSubscriber() && !best.hasSubscriber())
          || (s.hasSubscriber() == best.hasSubscriber() && s.lastActivityNanos() > best.lastActivityNanos())) {
        best = s;
      }
    }
    return best;
  }

  public AtomicInteger liveGetStreams() {
    return liveGetStreams;
  }

  /** Drops ended request streams beyond the newest {@code keep}, bounding memory per session. */
  public void pruneStreams(int keep) {
    List<EventStream> ended = new ArrayList<>();
    for (EventStream s : streams.values()) {
      if (s.ended()) {
        ended.add(s);
      }
    }
    if (ended.size() <= keep) {
      return;
    }
    ended.sort((a, b) -> Long.compare(a.lastActivityNanos(), b.lastActivityNanos()));
    for (int i = 0; i < ended.size() - keep; i++) {
      streams.remove(ended.get(i).id());
    }
  }

  /** Ends the session: upstream sessions closed, calls cancelled, streams ended. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (InFlight f : inFlight.values()) {
      f.call().cancel("Session ended");
    }
    inFlight.clear();
    for (Map.Entry<String, UpstreamSession> e : upstreams()) {
      try {
        e.getValue().close();
      } catch (RuntimeException ignored) {
        // Closing is best effort; the upstream may already be gone.
      }
    }
    upstreams.clear();
    for (EventStream s : streams.values()) {
      s.end();
    }
    streams.clear();
  }
}
