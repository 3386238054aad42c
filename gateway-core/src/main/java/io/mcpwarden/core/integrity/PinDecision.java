package io.mcpwarden.core.integrity;

import java.time.Instant;

/**
 * One entry of the decision history: every change of state, automatic or by an admin, is kept so
 * "who approved this, and when" always has an answer.
 *
 * @param from the state before (null for a first sighting)
 * @param to the state after
 * @param fingerprint the definition the decision was about
 */
public record PinDecision(PinKey key, PinState from, PinState to, String fingerprint, String by, Instant at, String reason) {}
