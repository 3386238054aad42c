package io.mcpwarden.core.config;

import java.time.Duration;

/**
 * Lifetimes of front sessions.
 *
 * <p>Sessions that nobody uses are ended so that a leaked id is worth little and memory stays
 * bounded.
 *
 * @param idleTimeout a session unused for this long is ended
 * @param maxLifetime a session older than this is ended whatever its use
 * @param maxPerUser live sessions one authenticated user may hold (not applied to {@code
 *     anonymous} when authentication is off, where {@code limits.max-sessions} bounds everyone)
 * @param adminTokenRef where the token of the loopback session admin endpoint is ({@code
 *     env:NAME} or {@code file:PATH}); null disables the endpoint
 */
public record SessionConfig(Duration idleTimeout, Duration maxLifetime, int maxPerUser, String adminTokenRef) {
  /** Default for {@link #maxPerUser}. */
  public static final int DEFAULT_MAX_PER_USER = 32;

  public SessionConfig(Duration idleTimeout, Duration maxLifetime) {
    this(idleTimeout, maxLifetime, DEFAULT_MAX_PER_USER, null);
  }
}
