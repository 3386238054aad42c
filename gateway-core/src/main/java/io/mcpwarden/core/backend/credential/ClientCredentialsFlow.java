package io.mcpwarden.core.backend.credential;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import io.mcpwarden.core.config.UpstreamAuthConfig;
import io.mcpwarden.core.secret.Secret;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/**
 * OAuth 2 client credentials: one token for the gateway itself, shared by every user of this
 * upstream, cached until shortly before it expires.
 */
final class ClientCredentialsFlow implements UpstreamCredentials {
  private static final String KEY = "gateway";

  private final TokenEndpointClient endpoint;
  private final UpstreamAuthConfig.TokenTarget target;
  private final TokenCache<String> cache;

  ClientCredentialsFlow(TokenEndpointClient endpoint, UpstreamAuthConfig.TokenTarget target, Clock clock) {
    this.endpoint = endpoint;
    this.target = target;
    this.cache = new TokenCache<>(1, target.refreshSkew(), clock);
  }

  @Override
  public Map<String, Secret> headers(UpstreamContext context) {
    IssuedToken token = cache.get(KEY, null, () -> endpoint.request(new ClientCredentialsGrant(), this::target));
    return Map.of("Authorization", Secret.of("Bearer " + token.value().reveal()));
  }

  private void target(TokenRequest.Builder b) {
    if (!target.scopes().isEmpty()) {
      b.scope(new Scope(target.scopes().toArray(String[]::new)));
    }
    if (!target.resources().isEmpty()) {
      b.resources(target.resources().toArray(URI[]::new));
    }
    if (!target.audiences().isEmpty()) {
      // Not in RFC 6749, but the common way (Auth0, Okta custom AS) to name the API for this grant.
      b.customParameter("audience", target.audiences().toArray(String[]::new));
    }
  }

  @Override
  public void rejected(UpstreamContext context) {
    cache.invalidate(KEY);
  }
}
