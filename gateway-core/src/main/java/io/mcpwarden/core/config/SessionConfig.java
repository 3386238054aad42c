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
 */
public record SessionConfig(Duration idleTimeout, Duration maxLifetime) {}
