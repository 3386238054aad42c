package io.mcpwarden.core.integrity;

import java.time.Instant;

/**
 * What the gateway knows of one upstream definition: the version it last saw, the version an
 * admin (or first use) approved, its state and the last decision about it.
 *
 * @param key server, kind and name
 * @param fingerprint the fingerprint of the definition last seen
 * @param definition canonical JSON of the definition last seen (kept for diffs)
 * @param pinnedFingerprint the approved fingerprint, or null when never approved
 * @param pinnedDefinition canonical JSON of the approved definition, or null
 * @param state approved, pending, quarantined or rejected
 * @param firstSeen when the gateway first saw the item
 * @param decidedBy who made the last decision: an admin's name, or {@code gateway} /
 *     {@code trust-on-first-use} for automatic ones
 * @param decidedAt when
 * @param reason why (the detector's reasons, the shadowing finding, an admin's note)
 */
public record PinRecord(
    PinKey key,
    String fingerprint,
    String definition,
    String pinnedFingerprint,
    String pinnedDefinition,
    PinState state,
    Instant firstSeen,
    String decidedBy,
    Instant decidedAt,
    String reason) {

  /** The same record in another state, decided by {@code by} at {@code at}. */
  public PinRecord decided(PinState newState, String by, Instant at, String why) {
    return new PinRecord(key, fingerprint, definition, pinnedFingerprint, pinnedDefinition, newState, firstSeen, by, at, why);
  }

  /** Approved as it is now: the current definition becomes the pinned one. */
  public PinRecord approved(String by, Instant at, String why) {
    return new PinRecord(key, fingerprint, definition, fingerprint, definition, PinState.APPROVED, firstSeen, by, at, why);
  }

  /** The same record with a newly seen definition (state unchanged). */
  public PinRecord seen(Fingerprint f) {
    return new PinRecord(key, f.sha256(), f.canonical(), pinnedFingerprint, pinnedDefinition, state, firstSeen, decidedBy, decidedAt, reason);
  }
}
