package io.mcpwarden.core.backend.credential;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import io.mcpwarden.core.config.UpstreamAuthConfig;
import io.mcpwarden.core.secret.Secret;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends token requests to one authorization server's token endpoint as the gateway's OAuth
 * client, with the Nimbus OAuth 2.0 SDK.
 *
 * <p>Redirects are not followed (they could carry the client secret elsewhere). Failures are
 * logged in full for the operator and reported to callers by error code only.
 */
final class TokenEndpointClient {
  private static final Logger LOG = LoggerFactory.getLogger(TokenEndpointClient.class);

  /** Lifetime assumed when the server states none and the token is no JWT with {@code exp}. */
  static final Duration UNSTATED_LIFETIME = Duration.ofSeconds(60);

  private final String server;
  private final URI endpoint;
  private final ClientAuthentication clientAuth;
  private final int timeoutMillis;
  private final Clock clock;

  TokenEndpointClient(String server, UpstreamAuthConfig.TokenEndpoint config, Secret clientSecret, Clock clock) {
    this.server = server;
    this.endpoint = config.tokenEndpoint();
    ClientID id = new ClientID(config.clientId());
    com.nimbusds.oauth2.sdk.auth.Secret secret = new com.nimbusds.oauth2.sdk.auth.Secret(clientSecret.reveal());
    this.clientAuth = config.method() == UpstreamAuthConfig.ClientAuthMethod.CLIENT_SECRET_POST
        ? new ClientSecretPost(id, secret)
        : new ClientSecretBasic(id, secret);
    this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, config.timeout().toMillis()));
    this.clock = clock;
  }

  /**
   * Requests a token.
   *
   * @param extra adds grant-specific parameters (scope, resource, audience) to the request
   */
  IssuedToken request(AuthorizationGrant grant, java.util.function.Consumer<TokenRequest.Builder> extra) {
    String grantName = grant.getType().getValue();
    TokenRequest.Builder builder = new TokenRequest.Builder(endpoint, clientAuth, grant);
    extra.accept(builder);
    HTTPRequest http = builder.build().toHTTPRequest();
    http.setConnectTimeout(timeoutMillis);
    http.setReadTimeout(timeoutMillis);
    http.setFollowRedirects(false);
    Instant sentAt = clock.instant();
    TokenResponse response;
    try {
      HTTPResponse reply = http.send();
      response = TokenResponse.parse(reply);
    } catch (IOException e) {
      LOG.warn("server {}: token endpoint {} unreachable for {}: {}", server, endpoint, grantName, e.toString());
      throw new CredentialException("upstream credential unavailable (token endpoint unreachable)", e);
    } catch (ParseException e) {
      LOG.warn("server {}: token endpoint {} sent an unusable answer to {}: {}", server, endpoint, grantName, e.getMessage());
      throw new CredentialException("upstream credential unavailable (malformed token response)", e);
    }
    if (!response.indicatesSuccess()) {
      ErrorObject error = response.toErrorResponse().getErrorObject();
      String code = error == null || error.getCode() == null ? "HTTP " + (error == null ? "?" : error.getHTTPStatusCode()) : error.getCode();
      LOG.warn("server {}: token endpoint {} refused {}: {} {}", server, endpoint, grantName, code,
          error == null || error.getDescription() == null ? "" : "(" + error.getDescription() + ")");
      throw new CredentialException("upstream credential unavailable (token endpoint: " + safe(code) + ")");
    }
    AccessTokenResponse ok = response.toSuccessResponse();
    AccessToken token = ok.getTokens().getAccessToken();
    if (!AccessTokenType.BEARER.equals(token.getType())) {
      LOG.warn("server {}: token endpoint {} issued a {} token; only Bearer tokens are supported", server, endpoint, token.getType());
      throw new CredentialException("upstream credential unavailable (token type " + token.getType() + " not supported)");
    }
    TokenTypeURI issued = token.getIssuedTokenType();
    if (issued != null && !issued.equals(TokenTypeURI.ACCESS_TOKEN) && !issued.equals(TokenTypeURI.JWT)) {
      LOG.warn("server {}: token exchange issued a token of type {}, not an access token", server, issued);
      throw new CredentialException("upstream credential unavailable (issued token type is not an access token)");
    }
    Instant expiresAt = expiry(token, sentAt);
    if (!expiresAt.isAfter(sentAt)) {
      throw new CredentialException("upstream credential unavailable (token endpoint issued an expired token)");
    }
    LOG.debug("server {}: obtained a token by {} valid until {}", server, grantName, expiresAt);
    return new IssuedToken(Secret.of(token.getValue()), sentAt, expiresAt);
  }

  /** expires_in when given; else a JWT's exp; else a short default, so nothing is cached long. */
  private static Instant expiry(AccessToken token, Instant sentAt) {
    if (token.getLifetime() > 0) {
      return sentAt.plusSeconds(token.getLifetime());
    }
    try {
      JWT jwt = JWTParser.parse(token.getValue());
      Date exp = jwt.getJWTClaimsSet().getExpirationTime();
      if (exp != null) {
        Instant byClaim = exp.toInstant();
        Instant cap = sentAt.plus(Duration.ofDays(1));
        return byClaim.isBefore(cap) ? byClaim : cap;
      }
    } catch (java.text.ParseException e) {
      // An opaque token: fall through to the default.
    }
    return sentAt.plus(UNSTATED_LIFETIME);
  }

  /** An error code as sent by the server, reduced to what RFC 6749 allows in one. */
  private static String safe(String code) {
    String s = code.replaceAll("[^\\x20-\\x7e]", "?");
    return s.length() <= 64 ? s : s.substring(0, 64);
  }
}
