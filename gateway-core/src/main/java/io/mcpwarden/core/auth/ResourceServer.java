package io.mcpwarden.core.auth;

import io.mcpwarden.core.config.AuthConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gateway as an OAuth protected resource: the authenticator, the metadata document, the scope
 * policy and the replay cache, built from one {@link AuthConfig}.
 *
 * <p>Built once per gateway, so the edge and the guards share one view of who is trusted and
 * which scopes are needed.
 */
public final class ResourceServer {
  private final AuthConfig config;
  private final BearerTokenAuthenticator authenticator;
  private final ProtectedResourceMetadata metadata;
  private final ScopePolicy scopes;
  private final ReplayCache replay;
  private final DevIssuer devIssuer;

  private ResourceServer(AuthConfig config, BearerTokenAuthenticator authenticator, ProtectedResourceMetadata metadata,
      ScopePolicy scopes, ReplayCache replay, DevIssuer devIssuer) {
    this.config = config;
    this.authenticator = authenticator;
    this.metadata = metadata;
    this.scopes = scopes;
    this.replay = replay;
    this.devIssuer = devIssuer;
  }

  /**
   * @param config the settings, with the resource URI known
   * @param devIssuer the development issuer when enabled, else null
   * @param fetcher fetches metadata and key sets of remote issuers
   * @param environment where {@code env:} secret references are looked up
   */
  public static ResourceServer create(AuthConfig config, DevIssuer devIssuer, DocumentFetcher fetcher,
      Map<String, String> environment, Clock clock) {
    if (config.resource() == null) {
      throw new IllegalArgumentException("the resource URI must be known");
    }
    List<String> audiences = config.audiences().isEmpty() ? List.of(config.resource().toString()) : config.audiences();
    List<IssuerKeys> keys = new ArrayList<>();
    Set<String> issuers = new LinkedHashSet<>();
    for (AuthConfig.Issuer i : config.issuers()) {
      keys.add(IssuerKeys.remote(i.issuer(), i.jwksUri(), i.discovery(), fetcher, config.jwksCacheTtl(),
          config.jwksRefreshCooldown(), clock));
      issuers.add(i.issuer());
    }
    if (devIssuer != null) {
      keys.add(IssuerKeys.fixed(devIssuer.issuer(), devIssuer.publicKeys(), clock));
      issuers.add(devIssuer.issuer());
    }
    ScopeClaims scopeClaims = new ScopeClaims(config.scopeClaims());
    JwtAuthenticator jwt = keys.isEmpty() ? null : new JwtAuthenticator(keys,
        new JwtAuthenticator.Settings(audiences, config.algorithms(), config.clockSkew(), config.requireTyp(), 10_000, scopeClaims), clock);
    IntrospectionAuthenticator introspection = null;
    AuthConfig.Introspection in = config.introspection();
    if (in != null) {
      introspection = new IntrospectionAuthenticator(in.endpoint(), in.clientId(), resolveSecret(in.clientSecretRef(), environment),
          issuers, new AudienceMatcher(audiences), config.clockSkew(), in.cacheTtl(), in.cacheSize(), scopeClaims, clock);
    }
    List<String> supported = config.scopesSupported().isEmpty() ? config.requiredScopes() : config.scopesSupported();
    ProtectedResourceMetadata prm = new ProtectedResourceMetadata(config.resource(), List.copyOf(issuers), supported);
    return new ResourceServer(config, new BearerTokenAuthenticator(jwt, introspection, config.maxTokenBytes(),
        in != null && in.jwtsToo()), prm,
        ScopePolicy.of(config), new ReplayCache(config.replayCacheSize(), config.clockSkew(), clock), devIssuer);
  }

  /**
   * Reads a secret reference: {@code env:NAME} (an environment variable) or {@code file:PATH} (a
   * file's content, trailing newline dropped).
   */
  public static String resolveSecret(String reference, Map<String, String> environment) {
    if (reference == null) {
      throw new IllegalArgumentException("no secret reference");
    }
    if (reference.startsWith("env:")) {
      String v = environment.get(reference.substring(4));
      if (v == null || v.isEmpty()) {
        throw new IllegalStateException("environment variable " + reference.substring(4) + " is not set");
      }
      return v;
    }
    if (reference.startsWith("file:")) {
      Path p = Path.of(reference.substring(5));
      try {
        return Files.readString(p, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalStateException("cannot read secret file " + p + ": " + e.getMessage(), e);
      }
    }
    throw new IllegalArgumentException("a secret reference is env:NAME or file:PATH");
  }

  public AuthConfig config() {
    return config;
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  /** The JWT part of the authenticator, or null (tests read key fetch counts from it). */
  public JwtAuthenticator jwt() {
    return authenticator.jwt();
  }

  public ProtectedResourceMetadata metadata() {
    return metadata;
  }

  public ScopePolicy scopes() {
    return scopes;
  }

  public ReplayCache replayCache() {
    return replay;
  }

  /** The development issuer, or null. */
  public DevIssuer devIssuer() {
    return devIssuer;
  }

  /** Scopes named in a challenge when the operation is not known yet: the required, else the supported ones. */
  public List<String> challengeScopes() {
    return config.requiredScopes().isEmpty() ? metadata.scopesSupported() : config.requiredScopes();
  }
}
