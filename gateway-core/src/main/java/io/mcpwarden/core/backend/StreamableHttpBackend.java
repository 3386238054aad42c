package io.mcpwarden.core.backend;

import io.mcpwarden.core.config.ServerConfig;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Streamable HTTP upstream: one upstream session per front session.
 *
 * <p>Placeholder while the transport is written.
 */
public final class StreamableHttpBackend implements Backend {
  private final ServerConfig config;

  public StreamableHttpBackend(ServerConfig config) {
    this.config = config;
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
  public void start() {}

  @Override
  public UpstreamSession open(UpstreamListener listener, ObjectNode clientCapabilities) {
    throw new BackendException(config.name(), "HTTP transport not available yet");
  }

  @Override
  public void close() {}
}
