package io.mcpwarden.core.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates opaque access tokens by asking the authorization server (RFC 7662 introspection).
 *
 * <p>Answers are cached by the token's hash, never beyond the token's own expiry nor the
 * configured time, so most requests cost no round trip and a revoked token stops working within
 * that bound. Audience binding applies as for JWTs: an active token for another resource is
 * refused.
 */
public final class IntrospectionAuthenticator implements Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(IntrospectionAuthenticator.class);
  private static final Duration NEGATIVE_TTL = Duration.ofSeconds(30);

  private record Answer(Principal principal, String refusal, Instant until) {}

  private final URI endpoint;
  private final ClientAuthentication clientAuth;
  private final Set<String> trustedIssuers;
  private final AudienceMatcher audiences;
  private final Duration skew;
  private final Duration cacheTtl;
  private final Clock clock;
  private final ScopeClaims scopeClaims;
  private final Cache<String, Answer> cache;
  private final AtomicLong calls = new AtomicLong();

  /**
   * @param trustedIssuers when not empty, an answer's {@code iss} (if any) must be one of these
   */
  public IntrospectionAuthenticator(URI endpoint, String clientId, String clientSecret, Set<String> trustedIssuers,
      AudienceMatcher audiences, Duration skew, Duration cacheTtl, int cacheSize, Clock clock) {
    this(endpoint, clientId, clientSecret, trustedIssuers, audiences, skew, cacheTtl, cacheSize, ScopeClaims.DEFAULT, clock);
  }

  /**
   * @param trustedIssuers when not empty, an answer's {@code iss} (if any) must be one of these
   * @param scopeClaims the members of the answer that hold granted scopes
   */
  public IntrospectionAuthenticator(URI endpoint, String clientId, String clientSecret, Set<String> trustedIssuers,
      AudienceMatcher audiences, Duration skew, Duration cacheTtl, int cacheSize, ScopeClaims scopeClaims, Clock clock) {
    this.scopeClaims = scopeClaims;
    this.endpoint = endpoint;
    this.clientAuth = new ClientSecretBasic(new ClientID(clientId), new Secret(clientSecret));
    this.trustedIssuers = Set.copyOf(trustedIssuers);
    this.audiences = audiences;
    this.skew = skew;
    this.cacheTtl = cacheTtl;
    this.clock = clock;
    this.cache = Caffeine.newBuilder().maximumSize(cacheSize).expireAfterWrite(cacheTtl.toMillis(), TimeUnit.MILLISECONDS).build();
  }

  /** How many introspection requests were sent (for tests and metrics). */
  public long calls() {
    return calls.get();
  }

  @Override
  public Principal authenticate(String token) throws AuthException {
    String key = JwtAuthenticator.hash(token);
    Instant now = clock.instant();
    Answer a = cache.getIfPresent(key);
    if (a == null || !now.isBefore(a.until())) {
      a = introspect(token, now);
      cache.put(key, a);
    }
    if (a.principal() == null) {
      throw AuthException.invalidToken(a.refusal());
    }
    return a.principal();
  }

  private Answer introspect(String token, Instant now) throws AuthException {
    TokenIntrospectionResponse response;
    try {
      HTTPRequest req = new TokenIntrospectionRequest(endpoint, clientAuth, new BearerAccessToken(token)).toHTTPRequest();
      req.setConnectTimeout(5_000);
      req.setReadTimeout(10_000);
      req.setFollowRedirects(false);
      calls.incrementAndGet();
      HTTPResponse http = req.send();
      response = TokenIntrospectionResponse.parse(http);
    } catch (IOException | ParseException e) {
      LOG.warn("token introspection at {} failed: {}", endpoint, e.getMessage());
      throw new AuthException(AuthException.Error.TEMPORARILY_UNAVAILABLE, "token could not be checked; retry later");
    }
    if (!response.indicatesSuccess()) {
      LOG.warn("token introspection at {} refused the gateway: {}", endpoint, response.toErrorResponse().getErrorObject());
      throw new AuthException(AuthException.Error.TEMPORARILY_UNAVAILABLE, "token could not be checked; retry later");
    }
    TokenIntrospectionSuccessResponse s = response.toSuccessResponse();
    Instant negativeUntil = now.plus(NEGATIVE_TTL.compareTo(cacheTtl) < 0 ? NEGATIVE_TTL : cacheTtl);
    if (!s.isActive()) {
      return new Answer(null, "token is not active", negativeUntil);
    }
    String iss = s.getIssuer() == null ? null : s.getIssuer().getValue();
    if (iss != null && !trustedIssuers.isEmpty() && !trustedIssuers.contains(iss)) {
      return new Answer(null, "issuer is not trusted", negativeUntil);
    }
    Instant exp = s.getExpirationTime() == null ? null : s.getExpirationTime().toInstant();
    if (exp != null && !now.isBefore(exp.plus(skew))) {
      return new Answer(null, "token expired", negativeUntil);
    }
    if (s.getNotBeforeTime() != null && now.plus(skew).isBefore(s.getNotBeforeTime().toInstant())) {
      return new Answer(null, "token not valid yet", negativeUntil);
    }
    List<String> aud = new ArrayList<>();
    if (s.getAudience() != null) {
      for (Audience x : s.getAudience()) {
        aud.add(x.getValue());
      }
    }
    if (!audiences.matches(aud)) {
      return new Answer(null, "token audience does not include this resource", negativeUntil);
    }
    String sub = s.getSubject() == null ? null : s.getSubject().getValue();
    if (sub == null || sub.isBlank()) {
      return new Answer(null, "token has no subject", negativeUntil);
    }
    Map<String, Object> json = s.toJSONObject();
    Set<String> scopes = scopeClaims.read(json);
    // Without an iss, the endpoint stands for the issuer, so its subjects never merge with others'.
    Principal p = new Principal(sub, iss != null ? iss : endpoint.toString(), scopes, json, exp, s.getJWTID() == null ? null : s.getJWTID().getValue());
    Instant until = now.plus(cacheTtl);
    if (exp != null && exp.isBefore(until)) {
      until = exp;
    }
    return new Answer(p, null, until);
  }
}
