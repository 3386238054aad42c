package io.mcpwarden.core.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Validates JWT access tokens (RFC 9068 style) against the signing keys of trusted issuers.
 *
 * <p>Checks, in order: it is a signed JWT; its algorithm is on the allow-list (asymmetric only, so
 * neither {@code none} nor an HMAC "signed" with a public key passes); the optional {@code typ};
 * {@code iss} is trusted; the signature verifies with one of that issuer's keys; {@code exp},
 * {@code nbf}, {@code iat} within the clock skew; {@code aud} names this gateway; {@code sub} is
 * present. A token that passed is remembered (by its hash, never the token) until it expires, so
 * a client's repeated requests cost a hash and a map lookup.
 */
public final class JwtAuthenticator implements Authenticator {
  private static final Set<String> AT_JWT = Set.of("at+jwt", "application/at+jwt");
  private static final int MIN_RSA_BITS = 2048;
  private static final Duration MAX_CACHE = Duration.ofMinutes(5);

  /**
   * Validation settings.
   *
   * @param audiences accepted audiences (the canonical resource URI at least)
   * @param algorithms accepted JWS algorithms, asymmetric only
   * @param clockSkew tolerance on time claims
   * @param requireAtJwtTyp whether {@code typ} must be {@code at+jwt}
   * @param cacheSize validated tokens remembered
   * @param scopeClaims the claims that hold granted scopes
   */
  public record Settings(Collection<String> audiences, Collection<String> algorithms, Duration clockSkew,
      boolean requireAtJwtTyp, int cacheSize, ScopeClaims scopeClaims) {

    /** Settings reading scopes from {@code scope} and {@code scp}. */
    public Settings(Collection<String> audiences, Collection<String> algorithms, Duration clockSkew,
        boolean requireAtJwtTyp, int cacheSize) {
      this(audiences, algorithms, clockSkew, requireAtJwtTyp, cacheSize, ScopeClaims.DEFAULT);
    }
  }

  /**
   * A token that passed, with the key that verified it and the key set that key came from: a hit
   * is good only while that key is still published (checked again whenever the set changes).
   */
  private record Validated(Principal principal, Instant notBefore, Instant cachedUntil, IssuerKeys keys, JWK key,
      JWKSet keySet) {}

  private final Map<String, IssuerKeys> issuers = new LinkedHashMap<>();
  private final Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
  private final AudienceMatcher audiences;
  private final Duration skew;
  private final boolean requireTyp;
  private final Clock clock;
  private final ScopeClaims scopeClaims;
  private final Cache<String, Validated> validated;

  public JwtAuthenticator(List<IssuerKeys> trusted, Settings settings, Clock clock) {
    for (IssuerKeys k : trusted) {
      issuers.put(k.issuer(), k);
    }
    for (String a : settings.algorithms()) {
      JWSAlgorithm alg = JWSAlgorithm.parse(a);
      if (!JWSAlgorithm.Family.RSA.contains(alg) && !JWSAlgorithm.Family.EC.contains(alg)) {
        throw new IllegalArgumentException("algorithm " + a + " is not an asymmetric signature algorithm");
      }
      algorithms.add(alg);
    }
    this.audiences = new AudienceMatcher(settings.audiences());
    this.skew = settings.clockSkew();
    this.requireTyp = settings.requireAtJwtTyp();
    this.clock = clock;
    this.scopeClaims = settings.scopeClaims();
    this.validated = Caffeine.newBuilder().maximumSize(settings.cacheSize()).expireAfterWrite(MAX_CACHE.toSeconds(), TimeUnit.SECONDS).build();
  }

  public Set<String> issuers() {
    return Set.copyOf(issuers.keySet());
  }

  /** The key cache of one issuer (tests and metrics read its fetch count). */
  public IssuerKeys keys(String issuer) {
    return issuers.get(issuer);
  }

  @Override
  public Principal authenticate(String token) throws AuthException {
    String key = hash(token);
    Instant now = clock.instant();
    Validated hit = validated.getIfPresent(key);
    if (hit != null) {
      if (now.isBefore(hit.cachedUntil()) && !now.plus(skew).isBefore(hit.notBefore()) && stillSigned(key, hit)) {
        return hit.principal();
      }
      validated.invalidate(key);
    }
    Validated v = validate(token, now);
    validated.put(key, v);
    return v.principal();
  }

  /**
   * Whether the key that verified a cached token is still one of its issuer's keys. The common
   * case costs one reference comparison: the key set is the one the token was checked against.
   * When the set was fetched again (expiry of {@code jwks-cache-ttl}, or key rotation), the key
   * must still be in it, so a key the issuer withdrew stops cached tokens at the next refresh
   * instead of up to five minutes later.
   */
  private boolean stillSigned(String cacheKey, Validated hit) throws AuthException {
    JWKSet now = hit.keys().published();
    if (now == hit.keySet()) {
      return true;
    }
    if (!now.getKeys().contains(hit.key())) {
      return false;
    }
    validated.put(cacheKey, new Validated(hit.principal(), hit.notBefore(), hit.cachedUntil(), hit.keys(), hit.key(), now));
    return true;
  }

  private Validated validate(String token, Instant now) throws AuthException {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      throw AuthException.invalidToken("malformed token");
    }
    if (!(jwt instanceof SignedJWT signed)) {
      throw AuthException.invalidToken("only signed JWTs are accepted (alg none and encrypted tokens are not)");
    }
    JWSHeader header = signed.getHeader();
    JWSAlgorithm alg = header.getAlgorithm();
    if (!algorithms.contains(alg)) {
      throw AuthException.invalidToken("signature algorithm " + safe(alg.getName()) + " is not accepted");
    }
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      throw AuthException.invalidToken("critical header parameters are not supported");
    }
    String typ = header.getType() == null ? null : header.getType().getType().toLowerCase(Locale.ROOT);
    if (requireTyp && !AT_JWT.contains(typ)) {
      throw AuthException.invalidToken("token type must be at+jwt");
    }
    JWTClaimsSet claims;
    try {
      claims = signed.getJWTClaimsSet();
    } catch (ParseException e) {
      throw AuthException.invalidToken("malformed claims");
    }
    String iss = claims.getIssuer();
    IssuerKeys keys = iss == null ? null : issuers.get(iss);
    if (keys == null) {
      throw AuthException.invalidToken("issuer is not trusted");
    }
    IssuerKeys.Verified verified = keys.verifying(signed.getHeader(), k -> verifies(signed, k));
    if (verified == null) {
      throw AuthException.invalidToken("signature does not verify with the issuer's keys");
    }
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw AuthException.invalidToken("token has no expiry");
    }
    Instant expiresAt = exp.toInstant();
    if (!now.isBefore(expiresAt.plus(skew))) {
      throw AuthException.invalidToken("token expired");
    }
    Instant nbf = claims.getNotBeforeTime() == null ? Instant.MIN : claims.getNotBeforeTime().toInstant();
    if (now.plus(skew).isBefore(nbf)) {
      throw AuthException.invalidToken("token not valid yet");
    }
    if (claims.getIssueTime() != null && now.plus(skew).isBefore(claims.getIssueTime().toInstant())) {
      throw AuthException.invalidToken("token issued in the future");
    }
    if (!audiences.matches(claims.getAudience())) {
      throw AuthException.invalidToken("token audience does not include this resource");
    }
    String sub = claims.getSubject();
    if (sub == null || sub.isBlank()) {
      throw AuthException.invalidToken("token has no subject");
    }
    Map<String, Object> json = claims.toJSONObject();
    Principal p = new Principal(sub, iss, scopeClaims.read(json), json, expiresAt, claims.getJWTID());
    Instant until = expiresAt.plus(skew);
    if (until.isAfter(now.plus(MAX_CACHE))) {
      until = now.plus(MAX_CACHE);
    }
    return new Validated(p, nbf, until, keys, verified.key(), verified.keySet());
  }

  /** Whether {@code k} (of a usable size and type) verifies the token's signature. */
  private static boolean verifies(SignedJWT jwt, JWK k) {
    try {
      JWSVerifier verifier = switch (k) {
        case RSAKey rsa when rsa.size() >= MIN_RSA_BITS -> new RSASSAVerifier(rsa.toRSAPublicKey());
        case ECKey ec -> new ECDSAVerifier(ec.toECPublicKey());
        default -> null;
      };
      return verifier != null && jwt.verify(verifier);
    } catch (JOSEException e) {
      // This key cannot verify this token (wrong curve, too short); the caller tries the next.
      return false;
    }
  }

  /** Scopes from {@code scope} (space-separated, RFC 9068/8693) or {@code scp} (string or list). */
  static Set<String> scopes(JWTClaimsSet claims) {
    return ScopeClaims.DEFAULT.read(claims.toJSONObject());
  }

  static String hash(String token) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Keeps text taken from a token printable and short before it goes into an error description. */
  static String safe(String s) {
    String t = s == null ? "null" : s.replaceAll("[^A-Za-z0-9+._-]", "?");
    return t.length() > 20 ? t.substring(0, 20) : t;
  }
}
