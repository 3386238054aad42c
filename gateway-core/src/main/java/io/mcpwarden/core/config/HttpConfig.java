package io.mcpwarden.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * How to reach a Streamable HTTP MCP server.
 *
 * <p>Headers listed here are the only ones the gateway sends besides the protocol's own; the
 * client's Authorization header is never among them.
 *
 * @param url the server's MCP endpoint
 * @param headers static extra headers (for example an API key)
 * @param connectTimeout TCP connect timeout
 * @param maxConnections connection pool size
 * @param auth the gateway's own credential for this upstream (never the client's token)
 * @param tls trust, pins and client certificate for an {@code https} upstream
 */
public record HttpConfig(
    URI url,
    Map<String, String> headers,
    Duration connectTimeout,
    int maxConnections,
    UpstreamAuthConfig auth,
    UpstreamTlsConfig tls) {

  public HttpConfig {
    headers = Map.copyOf(headers);
    auth = auth == null ? UpstreamAuthConfig.NONE : auth;
    tls = tls == null ? UpstreamTlsConfig.DEFAULT : tls;
  }

  /** Settings with the JDK's default TLS trust. */
  public HttpConfig(URI url, Map<String, String> headers, Duration connectTimeout, int maxConnections, UpstreamAuthConfig auth) {
    this(url, headers, connectTimeout, maxConnections, auth, UpstreamTlsConfig.DEFAULT);
  }

  /** Settings without an upstream credential. */
  public HttpConfig(URI url, Map<String, String> headers, Duration connectTimeout, int maxConnections) {
    this(url, headers, connectTimeout, maxConnections, UpstreamAuthConfig.NONE);
  }
}
