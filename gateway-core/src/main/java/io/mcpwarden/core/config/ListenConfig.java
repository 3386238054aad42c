package io.mcpwarden.core.config;

import java.util.List;

/**
 * Where the front endpoint listens and which Host and Origin values it accepts.
 *
 * <p>The allow-lists are the DNS-rebinding defence: a browser tricked into calling the gateway
 * carries a foreign Host or Origin and is refused.
 *
 * @param host bind address (127.0.0.1 by default)
 * @param port TCP port (0 picks a free one)
 * @param path MCP endpoint path
 * @param allowedHosts Host header values accepted, without port; empty means loopback names only
 * @param allowedOrigins Origin values accepted when an Origin header is present
 * @param tls the HTTPS listener; null serves plain HTTP
 * @param allowInsecureHttp whether plain HTTP may be served on a non-loopback address (for
 *     example behind a TLS-terminating proxy); never implied
 */
public record ListenConfig(
    String host,
    int port,
    String path,
    List<String> allowedHosts,
    List<String> allowedOrigins,
    TlsConfig tls,
    boolean allowInsecureHttp) {

  public ListenConfig {
    allowedHosts = List.copyOf(allowedHosts);
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  /** A plain HTTP listener (loopback use, or with the insecure-HTTP opt-in not given). */
  public ListenConfig(String host, int port, String path, List<String> allowedHosts, List<String> allowedOrigins) {
    this(host, port, path, allowedHosts, allowedOrigins, null, false);
  }

  public ListenConfig withPort(int newPort) {
    return new ListenConfig(host, newPort, path, allowedHosts, allowedOrigins, tls, allowInsecureHttp);
  }

  public ListenConfig withTls(TlsConfig newTls) {
    return new ListenConfig(host, port, path, allowedHosts, allowedOrigins, newTls, allowInsecureHttp);
  }

  /** {@code https} with TLS, else {@code http}. */
  public String scheme() {
    return tls == null ? "http" : "https";
  }
}
