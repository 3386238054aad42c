package io.mcpwarden.core.backend.credential;

import io.mcpwarden.core.config.UpstreamAuthConfig;
import io.mcpwarden.core.secret.Secret;
import io.mcpwarden.core.secret.SecretResolver;
import java.time.Clock;
import java.util.Map;

/**
 * The gateway's own credential for one HTTP upstream, as headers to add to each request.
 *
 * <p>This is the only source of authentication headers on upstream requests: the front
 * client's Authorization header never reaches the upstream transport (MCP security best
 * practices, "token passthrough"). Implementations are thread-safe and cache what they obtain,
 * so calling {@link #headers} per request is cheap.
 */
public interface UpstreamCredentials {

  /** No credential. */
  UpstreamCredentials NONE = context -> Map.of();

  /**
   * Headers to add to one upstream request made for this context. Values are secrets: they are
   * revealed only when put on the wire.
   *
   * @throws CredentialException when no credential can be had (the request must then not be sent)
   */
  Map<String, Secret> headers(UpstreamContext context);

  /**
   * The upstream answered 401 to a request sent with these headers: the cached token for this
   * context is forgotten so the next request obtains a new one.
   */
  default void rejected(UpstreamContext context) {}

  /**
   * Builds the credential a configuration describes.
   *
   * @param server the upstream's name, for messages
   * @param secrets where {@code ${secret:NAME}} references are looked up (once, here)
   * @param clock decides token expiry; injected so tests control time
   */
  static UpstreamCredentials create(String server, UpstreamAuthConfig config, SecretResolver secrets, Clock clock) {
    return switch (config) {
      case UpstreamAuthConfig.None n -> NONE;
      case UpstreamAuthConfig.Static s -> new StaticCredential(s, secrets.require(s.secretName()));
      case UpstreamAuthConfig.ClientCredentials c ->
          new ClientCredentialsFlow(new TokenEndpointClient(server, c.endpoint(), secrets.require(c.endpoint().clientSecretName()), clock), c.target(), clock);
      case UpstreamAuthConfig.TokenExchange t ->
          new TokenExchangeFlow(new TokenEndpointClient(server, t.endpoint(), secrets.require(t.endpoint().clientSecretName()), clock), t.target(),
              t.maxCachedSubjects(), clock);
    };
  }
}
