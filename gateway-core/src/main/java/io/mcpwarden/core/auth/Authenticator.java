package io.mcpwarden.core.auth;

/**
 * Turns a bearer token into a {@link Principal}, or refuses it.
 *
 * <p>One method, so JWT validation, introspection and their combination are interchangeable and
 * each can be tested alone.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * Validates a bearer token: signature or introspection, issuer, audience, lifetime.
   *
   * @param bearerToken the token exactly as sent after {@code Bearer }
   * @return the authenticated principal
   * @throws AuthException with {@code invalid_token} when the token is not acceptable, or {@code
   *     TEMPORARILY_UNAVAILABLE} when it could not be checked now
   */
  Principal authenticate(String bearerToken) throws AuthException;
}
