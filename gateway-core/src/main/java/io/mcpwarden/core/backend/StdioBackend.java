package io.mcpwarden.core.backend;

import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.config.StdioConfig;
import io.mcpwarden.core.message.JsonCodec;
import io.mcpwarden.core.secret.SecretResolver;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stdio upstream: a child process started from configuration, never from client input.
 *
 * <p>In {@code shared} isolation one child serves every front session with ids rewritten; in
 * {@code per-session} isolation each front session gets its own child, which gives exact routing
 * of server-to-client requests at the cost of a process per session.
 */
public final class StdioBackend implements Backend {
  private final ServerConfig config;
  private final JsonCodec codec;
  private final SecretResolver secrets;
  private final StdioChannel shared;
  private final Set<StdioChannel> perSession = ConcurrentHashMap.newKeySet();

  public StdioBackend(ServerConfig config, JsonCodec codec) {
    this(config, codec, SecretResolver.NONE);
  }

  /**
   * @param secrets resolves {@code ${secret:NAME}} references in the configured env, which is the
   *     only way a stdio server receives credentials
   */
  public StdioBackend(ServerConfig config, JsonCodec codec, SecretResolver secrets) {
    this.config = config;
    this.codec = codec;
    this.secrets = secrets;
    this.shared =
        config.stdio().isolation() == StdioConfig.Isolation.SHARED
            ? new StdioChannel(config, codec, true, UpstreamHello.allClientCapabilities(), secrets)
            : null;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public ServerConfig config() {
    return config;
  }

  @Override
  public void start() {
    if (shared != null) {
      shared.start();
    }
  }

  @Override
  public UpstreamSession open(UpstreamListener listener, ObjectNode clientCapabilities) {
    if (shared != null) {
      ObjectNode result = shared.awaitReady();
      StdioSession session = new StdioSession(shared, listener, result, false);
      shared.attach(session);
      return session;
    }
    perSession.removeIf(StdioChannel::isClosed);
    StdioChannel channel = new StdioChannel(config, codec, true, clientCapabilities, secrets);
    perSession.add(channel);
    channel.start();
    try {
      ObjectNode result = channel.awaitReady();
      StdioSession session = new StdioSession(channel, listener, result, true);
      channel.attach(session);
      return session;
    } catch (RuntimeException e) {
      channel.close();
      perSession.remove(channel);
      throw e;
    }
  }

  /** The pid of the shared child, or -1; exposed for operational views and crash tests. */
  public long sharedPid() {
    return shared == null ? -1 : shared.pid();
  }

  @Override
  public void close() {
    if (shared != null) {
      shared.close();
    }
    perSession.forEach(StdioChannel::close);
    perSession.clear();
  }
}
