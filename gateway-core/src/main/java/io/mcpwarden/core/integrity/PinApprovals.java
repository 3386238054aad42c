package io.mcpwarden.core.integrity;

import java.time.Clock;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The admin operations on pinned definitions, shared by the {@code tools} CLI (offline, on the
 * database) and the admin HTTP API (in the running gateway): list, diff, approve, reject.
 *
 * <p>Every decision is written with who made it and when, and appended to the item's history.
 */
public final class PinApprovals {
  private final ToolPinStore store;
  private final Clock clock;

  public PinApprovals(ToolPinStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** All records, or those in one state. */
  public List<PinRecord> list(PinState state) {
    return store.all().stream().filter(r -> state == null || r.state() == state).toList();
  }

  /** Records that wait for an admin: pending and quarantined. */
  public List<PinRecord> waiting() {
    return store.all().stream().filter(r -> r.state() == PinState.PENDING || r.state() == PinState.QUARANTINED).toList();
  }

  /** The record of an item; throws {@link NoSuchElementException} naming it when unknown. */
  public PinRecord get(PinKey key) {
    return store.find(key).orElseThrow(() -> new NoSuchElementException("no " + key.kind().label() + " '" + key.name()
        + "' of server '" + key.server() + "' in the integrity store"));
  }

  /**
   * Approves the item's current definition (it becomes the pinned one) or rejects it.
   *
   * @param by who decides (an admin's name; recorded, never empty)
   */
  public PinRecord decide(PinKey key, boolean approve, String by, String reason) {
    if (by == null || by.isBlank()) {
      throw new IllegalArgumentException("a decision needs the name of who makes it");
    }
    PinRecord old = get(key);
    String why = reason == null || reason.isBlank() ? (approve ? "approved" : "rejected") + " by an admin" : reason;
    PinRecord next = approve ? old.approved(by, clock.instant(), why) : old.decided(PinState.REJECTED, by, clock.instant(), why);
    store.save(next, new PinDecision(key, old.state(), next.state(), next.fingerprint(), by, next.decidedAt(), why));
    return next;
  }

  /** A unified diff between the approved definition and the one last seen (text and schema). */
  public String diff(PinKey key) {
    PinRecord r = get(key);
    String header = key + "  state: " + r.state().label() + (r.reason() == null ? "" : " (" + r.reason() + ")") + "\n";
    String oldLabel = r.pinnedFingerprint() == null ? "(never approved)" : "approved " + r.pinnedFingerprint();
    String newLabel = "current  " + r.fingerprint();
    String oldText = r.pinnedDefinition() == null ? "" : ReadableDefinition.render(r.pinnedDefinition());
    String newText = ReadableDefinition.render(r.definition());
    return header + UnifiedDiff.of(oldLabel, oldText, newLabel, newText, 3);
  }
}
