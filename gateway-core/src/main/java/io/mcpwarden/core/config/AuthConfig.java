package io.mcpwarden.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How clients authenticate to the gateway: the gateway is an OAuth 2.1 protected resource (RFC
 * 9728) that accepts only access tokens issued for it.
 *
 * <p>Absent from the configuration means authentication is off and every client is {@code
 * anonymous}; present means every HTTP request must carry a valid bearer token.
 *
 * @param resource the canonical resource URI clients configure (lowercase scheme and host); null
 *     means derived at start from the listen address (loopback only)
 * @param issuers authorization servers whose JWT access tokens are accepted
 * @param audiences accepted {@code aud} values; empty means just the resource URI
 * @param requiredScopes scopes every request needs
 * @param scopesSupported scopes advertised in the metadata; empty means the required ones
 * @param servers extra scopes per upstream server and per tool
 * @param clockSkew tolerance when checking {@code exp}, {@code nbf} and {@code iat}
 * @param algorithms accepted JWS algorithms (asymmetric only)
 * @param requireTyp whether JWTs must carry {@code typ: at+jwt} (RFC 9068)
 * @param jwksCacheTtl how long a fetched key set is used before it is fetched again
 * @param jwksRefreshCooldown least time between two fetches of one issuer's key set, so a flood
 *     of unknown key ids cannot hammer the authorization server
 * @param introspection RFC 7662 introspection for opaque tokens, or null
 * @param replayCacheSize how many token ids are remembered for high-risk tools
 * @param maxTokenBytes longest accepted bearer token
 * @param devIssuer the built-in development issuer, or null when off
 * @param scopeClaims the token claims (and introspection members) that hold granted scopes
 */
public record AuthConfig(
    URI resource,
    List<Issuer> issuers,
    List<String> audiences,
    List<String> requiredScopes,
    List<String> scopesSupported,
    Map<String, ServerRule> servers,
    Duration clockSkew,
    List<String> algorithms,
    boolean requireTyp,
    Duration jwksCacheTtl,
    Duration jwksRefreshCooldown,
    Introspection introspection,
    int replayCacheSize,
    int maxTokenBytes,
    DevIssuer devIssuer,
    List<String> scopeClaims) {

  /** JWS algorithms the gateway can accept: asymmetric ones only, never {@code none} or HMAC. */
  public static final List<String> ASYMMETRIC_ALGORITHMS =
      List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

  public AuthConfig {
    issuers = List.copyOf(issuers);
    audiences = List.copyOf(audiences);
    requiredScopes = List.copyOf(requiredScopes);
    scopesSupported = List.copyOf(scopesSupported);
    servers = Map.copyOf(servers);
    algorithms = List.copyOf(algorithms);
    scopeClaims = List.copyOf(scopeClaims);
  }

  /** The same settings with the resource URI fixed (once the listen port is known). */
  public AuthConfig withResource(URI newResource) {
    return new AuthConfig(newResource, issuers, audiences, requiredScopes, scopesSupported, servers, clockSkew,
        algorithms, requireTyp, jwksCacheTtl, jwksRefreshCooldown, introspection, replayCacheSize, maxTokenBytes,
        devIssuer, scopeClaims);
  }

  /** Whether the development issuer is on. */
  public boolean devIssuerEnabled() {
    return devIssuer != null && devIssuer.enabled();
  }

  /**
   * A trusted authorization server.
   *
   * @param issuer its issuer identifier, compared exactly with the token's {@code iss}
   * @param jwksUri where its signing keys are; null means found through discovery
   * @param discovery its metadata document; null means the well-known locations under {@code issuer}
   */
  public record Issuer(String issuer, URI jwksUri, URI discovery) {}

  /**
   * Scopes for the tools, prompts and resources of one upstream server.
   *
   * @param scopes needed for anything routed to this server
   * @param tools per tool (by the server's own tool name)
   */
  public record ServerRule(List<String> scopes, Map<String, ToolRule> tools) {
    public ServerRule {
      scopes = List.copyOf(scopes);
      tools = Map.copyOf(tools);
    }
  }

  /**
   * Scopes for one tool, and whether a token may be used for it only once.
   *
   * @param scopes needed to call the tool, on top of the server's and the global ones
   * @param highRisk each call needs a token whose {@code jti} was never used for a high-risk call
   */
  public record ToolRule(List<String> scopes, boolean highRisk) {
    public ToolRule {
      scopes = List.copyOf(scopes);
    }
  }

  /**
   * RFC 7662 token introspection for tokens that are not JWTs.
   *
   * @param endpoint the introspection endpoint
   * @param clientId the gateway's client id at the authorization server
   * @param clientSecretRef where the client secret is: {@code env:NAME} or {@code file:PATH}; the
   *     secret itself is never part of the configuration value
   * @param cacheTtl longest time an answer is reused (never beyond the token's expiry)
   * @param cacheSize most answers kept
   * @param jwtsToo whether JWTs are introspected too instead of being validated locally (so that
   *     a token revoked at the authorization server stops working within {@code cacheTtl})
   */
  public record Introspection(URI endpoint, String clientId, String clientSecretRef, Duration cacheTtl, int cacheSize,
      boolean jwtsToo) {

    /** Introspection of opaque tokens only. */
    public Introspection(URI endpoint, String clientId, String clientSecretRef, Duration cacheTtl, int cacheSize) {
      this(endpoint, clientId, clientSecretRef, cacheTtl, cacheSize, false);
    }
  }

  /**
   * The development issuer: an in-process token issuer for local trials, loopback only.
   *
   * @param enabled whether it runs
   * @param keyFile where its EC P-256 signing key is kept (created when missing)
   */
  public record DevIssuer(boolean enabled, Path keyFile) {}
}
