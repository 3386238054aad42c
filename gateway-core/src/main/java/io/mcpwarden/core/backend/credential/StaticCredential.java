package io.mcpwarden.core.backend.credential;

import io.mcpwarden.core.config.UpstreamAuthConfig;
import io.mcpwarden.core.secret.Secret;
import java.util.Map;

/** A fixed bearer token or API key from the secret store, the same on every request. */
final class StaticCredential implements UpstreamCredentials {
  private final Map<String, Secret> headers;

  StaticCredential(UpstreamAuthConfig.Static config, Secret value) {
    Secret full = config.scheme() == null || config.scheme().isEmpty() ? value : Secret.of(config.scheme() + " " + value.reveal());
    this.headers = Map.of(config.header(), full);
  }

  @Override
  public Map<String, Secret> headers(UpstreamContext context) {
    return headers;
  }
}
