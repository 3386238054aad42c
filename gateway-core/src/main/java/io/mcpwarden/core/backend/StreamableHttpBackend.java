package io.mcpwarden.core.backend;

import io.mcpwarden.core.backend.credential.UpstreamContext;
import io.mcpwarden.core.backend.credential.UpstreamCredentials;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.message.JsonCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Streamable HTTP upstream (MCP 2025-11-25): one upstream session per front session.
 *
 * <p>Every front session gets its own upstream session, initialized with that client's
 * capabilities, so nothing is shared between users but the connection pool. Requests carry only
 * the protocol's headers, the static headers of the configuration and the gateway's own upstream
 * credential ({@code auth}): nothing from the front client, in particular never its Authorization
 * header. For token exchange the client's token goes to the authorization server only.
 *
 * <p>Threading: {@link #open} blocks up to the init timeout; each call, the standalone GET stream
 * and each cancellation run on virtual threads of their own; sinks and listeners are invoked on
 * those threads, in stream order.
 */
public final class StreamableHttpBackend implements Backend {
  private static final Logger LOG = LoggerFactory.getLogger(StreamableHttpBackend.class);

  /** JSON nesting accepted from an upstream when no codec is given. */
  static final int DEFAULT_MAX_DEPTH = 128;

  private static final long CLOSE_WAIT_MILLIS = 5_000;

  private final ServerConfig config;
  private final JsonCodec codec;
  private final HttpUpstreamClient client;
  private final Set<HttpUpstreamSession> sessions = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public StreamableHttpBackend(ServerConfig config) {
    this(config, new JsonCodec(DEFAULT_MAX_DEPTH, SseParser.MAX_EVENT_BYTES));
  }

  /**
   * @param codec parses what the upstream sends; its limits apply to upstream messages
   */
  public StreamableHttpBackend(ServerConfig config, JsonCodec codec) {
    this(config, codec, UpstreamCredentials.NONE);
  }

  /**
   * @param credentials the gateway's own credential for this upstream, added to every request
   */
  public StreamableHttpBackend(ServerConfig config, JsonCodec codec, UpstreamCredentials credentials) {
    this.config = Objects.requireNonNull(config, "config");
    if (config.http() == null || config.http().url() == null) {
      throw new IllegalArgumentException("server '" + config.name() + "' has no HTTP settings");
    }
    this.codec = Objects.requireNonNull(codec, "codec");
    this.client = new HttpUpstreamClient(config, Objects.requireNonNull(credentials, "credentials"));
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public ServerConfig config() {
    return config;
  }

  /** Starts the HTTP client; no connection is made until a session opens. */
  @Override
  public void start() {
    client.start();
  }

  @Override
  public UpstreamSession open(UpstreamListener listener, ObjectNode clientCapabilities) {
    return open(listener, clientCapabilities, UpstreamContext.ANONYMOUS);
  }

  @Override
  public UpstreamSession open(UpstreamListener listener, ObjectNode clientCapabilities, UpstreamContext context) {
    if (closed) {
      throw new BackendException(config.name(), "backend closed");
    }
    client.start();
    HttpUpstreamSession session =
        new HttpUpstreamSession(config, client, codec, Objects.requireNonNull(listener, "listener"), clientCapabilities, sessions::remove,
            Objects.requireNonNull(context, "context"));
    sessions.add(session);
    try {
      session.open();
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    if (closed) {
      session.close();
      throw new BackendException(config.name(), "backend closed");
    }
    return session;
  }

  /** Upstream sessions currently open; for operational views and tests. */
  public int openSessions() {
    return sessions.size();
  }

  /**
   * Ends every upstream session (DELETE, in parallel, bounded in time), tells their listeners,
   * and stops the HTTP client.
   */
  @Override
  public void close() {
    closed = true;
    List<Thread> closers = new ArrayList<>();
    for (HttpUpstreamSession session : List.copyOf(sessions)) {
      closers.add(Thread.ofVirtual().name("mcp-http-close-" + config.name()).start(() -> session.shutdown("upstream '" + config.name() + "' stopped")));
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
    for (Thread t : closers) {
      try {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          t.join(java.time.Duration.ofNanos(left));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    sessions.clear();
    client.stop();
    LOG.debug("server {}: HTTP backend closed", config.name());
  }
}
