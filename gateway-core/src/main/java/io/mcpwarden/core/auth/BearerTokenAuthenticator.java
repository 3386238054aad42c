package io.mcpwarden.core.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The gateway's authenticator: JWTs go to the {@link JwtAuthenticator}, other tokens to
 * introspection when it is configured.
 *
 * <p>It also enforces what holds for every token: RFC 6750 token syntax and a size limit, checked
 * before any parsing so that hostile input costs nothing.
 */
public final class BearerTokenAuthenticator implements Authenticator {
  /** RFC 6750 §2.1 b64token. */
  private static final Pattern B64TOKEN = Pattern.compile("^[A-Za-z0-9\\-._~+/]+=*$");

  private final JwtAuthenticator jwt;
  private final IntrospectionAuthenticator introspection;
  private final int maxTokenBytes;
  private final boolean introspectJwts;

  /**
   * @param jwt validates JWTs; null when no issuer is trusted directly
   * @param introspection validates everything else (and JWTs when {@code jwt} is null); may be null
   */
  public BearerTokenAuthenticator(JwtAuthenticator jwt, IntrospectionAuthenticator introspection, int maxTokenBytes) {
    this(jwt, introspection, maxTokenBytes, false);
  }

  /**
   * @param introspectJwts send JWTs to introspection too (when configured), so the authorization
   *     server's word on revocation counts; otherwise JWTs are validated locally
   */
  public BearerTokenAuthenticator(JwtAuthenticator jwt, IntrospectionAuthenticator introspection, int maxTokenBytes,
      boolean introspectJwts) {
    if (jwt == null && introspection == null) {
      throw new IllegalArgumentException("need a JWT authenticator or introspection");
    }
    this.jwt = jwt;
    this.introspection = introspection;
    this.maxTokenBytes = maxTokenBytes;
    this.introspectJwts = introspectJwts && introspection != null;
  }

  public JwtAuthenticator jwt() {
    return jwt;
  }

  public IntrospectionAuthenticator introspection() {
    return introspection;
  }

  @Override
  public Principal authenticate(String token) throws AuthException {
    if (token == null || token.isEmpty()) {
      throw new AuthException(AuthException.Error.MISSING_TOKEN, "no access token");
    }
    if (token.length() > maxTokenBytes) {
      throw AuthException.invalidToken("token too long");
    }
    if (!B64TOKEN.matcher(token).matches()) {
      throw AuthException.invalidToken("malformed token");
    }
    if (jwt != null && !introspectJwts && looksLikeJwt(token)) {
      return jwt.authenticate(token);
    }
    if (introspection != null) {
      return introspection.authenticate(token);
    }
    throw AuthException.invalidToken("token is not a JWT");
  }

  /** Three base64url parts whose first decodes to a JSON object: a JWS compact serialization. */
  static boolean looksLikeJwt(String token) {
    int a = token.indexOf('.');
    int b = a < 0 ? -1 : token.indexOf('.', a + 1);
    if (a <= 0 || b < 0 || token.indexOf('.', b + 1) >= 0) {
      return false;
    }
    try {
      String header = new String(Base64.getUrlDecoder().decode(token.substring(0, a)), StandardCharsets.UTF_8);
      return header.startsWith("{");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
