package io.mcpwarden.core.backend.credential;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import io.mcpwarden.core.config.UpstreamAuthConfig;
import io.mcpwarden.core.secret.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * RFC 8693 token exchange: the front client's validated token is sent to the
 * authorization server as {@code subject_token}, and the token issued in exchange, whose
 * audience is this upstream, is what the upstream receives.
 *
 * <p>The client's token goes to the authorization server only, never upstream. Exchanged
 * tokens are cached per user (bounded), each bound to a hash of the client token it came from:
 * when the client presents a new token, the next upstream request exchanges it again.
 */
final class TokenExchangeFlow implements UpstreamCredentials {
  private final TokenEndpointClient endpoint;
  private final UpstreamAuthConfig.TokenTarget target;
  private final TokenCache<String> cache;

  TokenExchangeFlow(TokenEndpointClient endpoint, UpstreamAuthConfig.TokenTarget target, int maxCachedSubjects, Clock clock) {
    this.endpoint = endpoint;
    this.target = target;
    this.cache = new TokenCache<>(maxCachedSubjects, target.refreshSkew(), clock);
  }

  @Override
  public Map<String, Secret> headers(UpstreamContext context) {
    Secret subjectToken = context.currentSubjectToken()
        .orElseThrow(() -> new CredentialException("upstream credential unavailable (token exchange needs an authenticated client)"));
    IssuedToken token = cache.get(context.subject(), sha256(subjectToken), () -> exchange(subjectToken));
    return Map.of("Authorization", Secret.of("Bearer " + token.value().reveal()));
  }

  private IssuedToken exchange(Secret subjectToken) {
    List<Audience> audiences = target.audiences().stream().map(Audience::new).toList();
    TokenExchangeGrant grant = new TokenExchangeGrant(
        new BearerAccessToken(subjectToken.reveal()),
        TokenTypeURI.ACCESS_TOKEN,
        null,
        null,
        TokenTypeURI.ACCESS_TOKEN,
        audiences.isEmpty() ? null : audiences);
    return endpoint.request(grant, this::target);
  }

  private void target(TokenRequest.Builder b) {
    if (!target.scopes().isEmpty()) {
      b.scope(new Scope(target.scopes().toArray(String[]::new)));
    }
    if (!target.resources().isEmpty()) {
      b.resources(target.resources().toArray(URI[]::new));
    }
  }

  @Override
  public void rejected(UpstreamContext context) {
    cache.invalidate(context.subject());
  }

  /** Cached entries, for tests and operational views. */
  int cachedSubjects() {
    return cache.size();
  }

  private static byte[] sha256(Secret s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.reveal().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
