package io.mcpwarden.core.backend;

import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.config.StdioConfig;
import io.mcpwarden.core.message.JsonCodec;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.message.JsonRpcException;
import io.mcpwarden.core.secret.SecretReferences;
import io.mcpwarden.core.secret.SecretResolver;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One stdio child process, multiplexed between the front sessions attached to it.
 *
 * <p>Ids and progress tokens are rewritten so that sessions never collide, responses are routed
 * back by id, and the child is restarted with exponential backoff when it dies; calls in flight
 * then fail at once rather than hang.
 */
final class StdioChannel {
  private static final Logger LOG = LoggerFactory.getLogger(StdioChannel.class);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);
  private static final Duration HEALTHY_UPTIME = Duration.ofSeconds(30);
  private static final Duration STDOUT_DRAIN = Duration.ofSeconds(1);

  private final ServerConfig server;
  private final StdioConfig stdio;
  private final JsonCodec codec;
  private final boolean restart;
  private final ObjectNode declaredCapabilities;
  /** Resolves {@code ${secret:NAME}} in env values, at spawn time and into the child's env only. */
  private final SecretResolver secrets;
  private final AtomicLong nextId = new AtomicLong(1);
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final Map<String, Pending> progressTokens = new ConcurrentHashMap<>();
  private final Set<StdioSession> sessions = ConcurrentHashMap.newKeySet();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Object stateLock = new Object();

  private Process process;
  private OutputStream stdin;
  private CompletableFuture<ObjectNode> ready = new CompletableFuture<>();
  private volatile boolean closed;
  /**
   * Why the last start or initialize failed, until one succeeds; null while the child is healthy
   * (or has crashed after a good start, which is worth waiting for).
   */
  private String startFailure;
  private long backoffMillis = 100;
  private long startedAtNanos;

  /** A call waiting for its response. */
  record Pending(
      StdioSession owner,
      JsonNode originalId,
      CompletableFuture<ObjectNode> future,
      RelatedSink related,
      String upstreamToken,
      JsonNode originalToken,
      long startedNanos) {}

  StdioChannel(ServerConfig server, JsonCodec codec, boolean restart, ObjectNode declaredCapabilities) {
    this(server, codec, restart, declaredCapabilities, SecretResolver.NONE);
  }

  StdioChannel(ServerConfig server, JsonCodec codec, boolean restart, ObjectNode declaredCapabilities, SecretResolver secrets) {
    this.secrets = secrets;
    this.server = server;
    this.stdio = server.stdio();
    this.codec = codec;
    this.restart = restart;
    this.declaredCapabilities = declaredCapabilities;
  }

  String name() {
    return server.name();
  }

  /** Spawns the child and initializes it in the background. */
  void start() {
    Thread.ofVirtual().name("stdio-start-" + server.name()).start(this::spawnAndInitialize);
  }

  /** The child's InitializeResult, waiting for (re)start up to the init timeout. */
  ObjectNode awaitReady() {
    CompletableFuture<ObjectNode> current;
    String failing;
    synchronized (stateLock) {
      current = ready;
      failing = startFailure;
    }
    if (failing != null && !current.isDone()) {
      // Failing to start and waiting out a backoff: waiting here would only delay every new
      // session by up to init-timeout, so report the server unavailable at once.
      throw new BackendException(server.name(), "unavailable, restarting after a failed start: " + failing);
    }
    try {
      return current.get(server.initTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new BackendException(server.name(), "not ready within " + server.initTimeout().toMillis() + " ms");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new BackendException(server.name(), String.valueOf(e.getCause().getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(server.name(), "interrupted");
    }
  }

  void attach(StdioSession session) {
    sessions.add(session);
  }

  void detach(StdioSession session) {
    sessions.remove(session);
    pending.values().removeIf(p -> {
      if (p.owner() == session) {
        p.future().completeExceptionally(new JsonRpcException(JsonRpc.INTERNAL_ERROR, "session closed"));
        return true;
      }
      return false;
    });
  }

  boolean isClosed() {
    return closed;
  }

  int sessionCount() {
    return sessions.size();
  }

  private void spawnAndInitialize() {
    if (closed) {
      return;
    }
    Process p;
    try {
      ProcessBuilder pb = new ProcessBuilder(stdio.command());
      Map<String, String> env = pb.environment();
      env.clear();
      for (String name : stdio.envPassthrough()) {
        String value = System.getenv(name);
        if (value != null) {
          env.put(name, value);
        }
      }
      // Secrets reach the child through its environment only, never its arguments.
      stdio.env().forEach((k, v) -> env.put(k, SecretReferences.expand(v, secrets)));
      if (stdio.workingDir() != null) {
        pb.directory(new java.io.File(stdio.workingDir()));
      }
      p = pb.start();
    } catch (IOException | RuntimeException e) {
      LOG.warn("server {}: start failed: {}", server.name(), e.getMessage());
      failReady(e);
      scheduleRestart();
      return;
    }
    LOG.info("server {}: started pid {} ({})", server.name(), p.pid(), stdio.command().getFirst());
    synchronized (stateLock) {
      process = p;
      stdin = p.getOutputStream();
      startedAtNanos = System.nanoTime();
    }
    Thread reader = Thread.ofVirtual().name("stdio-out-" + server.name()).start(() -> readStdout(p));
    Thread.ofVirtual().name("stdio-err-" + server.name()).start(() -> readStderr(p));
    p.onExit().thenRunAsync(() -> {
      // A reply written just before the exit may still sit in the pipe: let the reader deliver
      // it before calls in flight are failed, bounded so a stuck pipe cannot hold the restart.
      try {
        reader.join(STDOUT_DRAIN.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      onExit(p);
    }, Thread::startVirtualThread);
    try {
      initialize();
    } catch (RuntimeException e) {
      // The child died (or closed stdin) before it could be greeted. Its exit handler owns the
      // failure and the one restart; restarting here too started a second restart chain per crash.
      LOG.warn("server {}: initialize not sent: {}", server.name(), e.getMessage());
      p.destroyForcibly();
    }
  }

  private void initialize() {
    long id = nextId.getAndIncrement();
    CompletableFuture<ObjectNode> f = new CompletableFuture<>();
    pending.put(id, new Pending(null, JsonRpc.NODES.numberNode(id), f, RelatedSink.NONE, null, null, System.nanoTime()));
    write(JsonRpc.request(JsonRpc.NODES.numberNode(id), "initialize", UpstreamHello.initializeParams(declaredCapabilities)));
    f.orTimeout(server.initTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (resp, err) -> {
              if (err != null) {
                pending.remove(id);
                LOG.warn("server {}: initialize failed: {}", server.name(), err.toString());
                failReady(err);
                killQuietly();
                return;
              }
              try {
                ObjectNode result = UpstreamHello.checkInitializeResponse(server.name(), resp);
                write(JsonRpc.notification("notifications/initialized", null));
                CompletableFuture<ObjectNode> r;
                synchronized (stateLock) {
                  r = ready;
                  startFailure = null;
                }
                r.complete(result);
                LOG.info("server {}: initialized ({})", server.name(), result.path("protocolVersion").asString());
              } catch (JsonRpcException e) {
                failReady(e);
                killQuietly();
              }
            });
  }

  private void failReady(Throwable cause) {
    CompletableFuture<ObjectNode> r;
    synchronized (stateLock) {
      r = ready;
      startFailure = String.valueOf(cause.getMessage());
    }
    r.completeExceptionally(cause instanceof JsonRpcException ? cause : new BackendException(server.name(), String.valueOf(cause.getMessage())));
  }

  private void onExit(Process p) {
    synchronized (stateLock) {
      if (process != p) {
        return;
      }
      process = null;
      stdin = null;
      boolean healthy = System.nanoTime() - startedAtNanos > HEALTHY_UPTIME.toNanos();
      if (healthy) {
        backoffMillis = 100;
      }
      if (ready.isDone()) {
        ready = new CompletableFuture<>();
      }
    }
    String reason = "upstream process exited with code " + p.exitValue();
    if (!closed) {
      LOG.warn("server {}: {}", server.name(), reason);
    }
    List<Pending> failed = new ArrayList<>(pending.values());
    pending.clear();
    progressTokens.clear();
    for (Pending call : failed) {
      call.future().completeExceptionally(new JsonRpcException(JsonRpc.INTERNAL_ERROR, "Upstream '" + server.name() + "' " + reason));
    }
    for (StdioSession s : sessions) {
      s.upstreamLost(reason);
    }
    if (closed || !restart) {
      failReady(new BackendException(server.name(), closed ? "closed" : reason));
    }
    // With a restart coming, callers keep waiting on the fresh ready future for the new child
    // (bounded by the init timeout) instead of failing in the gap between crash and restart.
    scheduleRestart();
  }

  private void scheduleRestart() {
    if (closed || !restart) {
      return;
    }
    long delay;
    synchronized (stateLock) {
      delay = backoffMillis;
      backoffMillis = Math.min(backoffMillis * 2, stdio.restartBackoffMax().toMillis());
      if (ready.isDone()) {
        ready = new CompletableFuture<>();
      }
    }
    LOG.info("server {}: restarting in {} ms", server.name(), delay);
    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(this::spawnAndInitialize);
  }

  private void readStdout(Process p) {
    BoundedLineReader reader = new BoundedLineReader(p.getInputStream(), stdio.maxLineBytes());
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line == BoundedLineReader.OVERSIZE) {
          LOG.warn("server {}: dropped a stdout line longer than {} bytes", server.name(), stdio.maxLineBytes());
          continue;
        }
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = codec.parse(line);
        } catch (JsonRpcException e) {
          LOG.warn("server {}: non-MCP output on stdout dropped: {}", server.name(), abbreviate(line));
          continue;
        }
        if (node instanceof ObjectNode obj) {
          onMessage(obj);
        } else {
          LOG.warn("server {}: non-object JSON on stdout dropped", server.name());
        }
      }
    } catch (IOException e) {
      LOG.debug("server {}: stdout closed: {}", server.name(), e.getMessage());
    }
  }

  private void readStderr(Process p) {
    BoundedLineReader reader = new BoundedLineReader(p.getErrorStream(), stdio.maxLineBytes());
    Logger childLog = LoggerFactory.getLogger("upstream." + server.name());
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line != BoundedLineReader.OVERSIZE) {
          childLog.info("{}", abbreviate(line));
        }
      }
    } catch (IOException e) {
      LOG.debug("server {}: stderr closed", server.name());
    }
  }

  private void onMessage(ObjectNode msg) {
    JsonNode method = msg.get("method");
    JsonNode id = msg.get("id");
    if (method == null) {
      if (id != null && id.canConvertToLong()) {
        Pending call = pending.remove(id.asLong());
        if (call != null) {
          if (call.upstreamToken() != null) {
            progressTokens.remove(call.upstreamToken());
          }
          ObjectNode restored = msg.deepCopy();
          restored.set("id", call.originalId());
          call.future().complete(restored);
          return;
        }
      }
      LOG.debug("server {}: response to unknown id dropped", server.name());
      return;
    }
    String m = method.asString();
    if ("notifications/progress".equals(m)) {
      JsonNode token = msg.path("params").get("progressToken");
      Pending call = token == null ? null : progressTokens.get(token.asString());
      if (call != null) {
        ObjectNode restored = msg.deepCopy();
        ((ObjectNode) restored.get("params")).set("progressToken", call.originalToken());
        call.related().onMessage(restored);
      }
      return;
    }
    if ("notifications/cancelled".equals(m) || m.endsWith("/list_changed") || "notifications/resources/updated".equals(m)) {
      // Not tied to a call: every attached session decides whether it cares.
      for (StdioSession s : sessions) {
        s.unrelated(msg);
      }
      return;
    }
    Pending owner = attribute();
    if (owner != null) {
      owner.related().onMessage(msg);
    } else if (id != null) {
      LOG.warn("server {}: server request '{}' cannot be attributed to one front session; refused", server.name(), m);
      write(JsonRpc.error(id, JsonRpc.INTERNAL_ERROR,
          "Gateway cannot attribute this request to a client session; configure isolation: per-session"));
    } else if (sessions.size() == 1) {
      sessions.iterator().next().unrelated(msg);
    } else {
      LOG.debug("server {}: unattributable notification '{}' dropped", server.name(), m);
    }
  }

  /**
   * The call a server-to-client message belongs to: the oldest call in flight, provided all calls
   * in flight belong to one front session. Anything else would risk sending one user's data to
   * another, so it is refused.
   */
  private Pending attribute() {
    Pending oldest = null;
    for (Pending p : pending.values()) {
      if (p.owner() == null) {
        continue;
      }
      if (oldest != null && oldest.owner() != p.owner()) {
        return null;
      }
      if (oldest == null || p.startedNanos() < oldest.startedNanos()) {
        oldest = p;
      }
    }
    return oldest;
  }

  UpstreamCall call(StdioSession owner, ObjectNode request, RelatedSink related) {
    try {
      // After a crash the child is being restarted: a request written now would reach a process
      // that has not been initialized yet (or no process at all), so wait for it to be ready.
      awaitReady();
    } catch (BackendException e) {
      return UpstreamCall.failed(e);
    }
    long id = nextId.getAndIncrement();
    ObjectNode out = request.deepCopy();
    out.put("id", id);
    String upstreamToken = null;
    JsonNode originalToken = null;
    JsonNode meta = out.path("params").get("_meta");
    if (meta instanceof ObjectNode m && m.has("progressToken")) {
      originalToken = m.get("progressToken");
      upstreamToken = "w" + id;
      m.put("progressToken", upstreamToken);
    }
    CompletableFuture<ObjectNode> future = new CompletableFuture<>();
    Pending call = new Pending(owner, request.get("id"), future, related, upstreamToken, originalToken, System.nanoTime());
    pending.put(id, call);
    if (upstreamToken != null) {
      progressTokens.put(upstreamToken, call);
    }
    try {
      write(out);
    } catch (JsonRpcException e) {
      pending.remove(id);
      if (upstreamToken != null) {
        progressTokens.remove(upstreamToken);
      }
      return UpstreamCall.failed(e);
    }
    return new UpstreamCall(future, reason -> cancel(id, reason));
  }

  private void cancel(long id, String reason) {
    Pending call = pending.remove(id);
    if (call == null) {
      return;
    }
    if (call.upstreamToken() != null) {
      progressTokens.remove(call.upstreamToken());
    }
    ObjectNode params = JsonRpc.NODES.objectNode();
    params.put("requestId", id);
    if (reason != null) {
      params.put("reason", reason);
    }
    try {
      write(JsonRpc.notification("notifications/cancelled", params));
    } catch (JsonRpcException e) {
      LOG.debug("server {}: cancel not delivered: {}", server.name(), e.getMessage());
    }
    call.future().completeExceptionally(new CallCancelledException(reason));
  }

  /** Writes one message as one line; fails when the child is not running. */
  void write(ObjectNode message) {
    byte[] bytes = codec.write(message);
    writeLock.lock();
    try {
      OutputStream out;
      synchronized (stateLock) {
        out = stdin;
      }
      if (out == null) {
        throw new JsonRpcException(JsonRpc.INTERNAL_ERROR, "Upstream '" + server.name() + "' is not running");
      }
      out.write(bytes);
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new JsonRpcException(JsonRpc.INTERNAL_ERROR, "Upstream '" + server.name() + "' write failed: " + e.getMessage());
    } finally {
      writeLock.unlock();
    }
  }

  /** Closes stdin, waits, then SIGTERM, then SIGKILL, as the MCP stdio shutdown rules ask. */
  void close() {
    closed = true;
    Process p;
    synchronized (stateLock) {
      p = process;
    }
    if (p == null) {
      return;
    }
    try {
      p.getOutputStream().close();
      if (!p.waitFor(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroy();
        if (!p.waitFor(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          p.waitFor(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (IOException e) {
      p.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  private void killQuietly() {
    Process p;
    synchronized (stateLock) {
      p = process;
    }
    if (p != null) {
      p.destroyForcibly();
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "…";
  }

  /** The child's process id, or -1 while it is not running. */
  long pid() {
    synchronized (stateLock) {
      return process == null ? -1 : process.pid();
    }
  }
}
