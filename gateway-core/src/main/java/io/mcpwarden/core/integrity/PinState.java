package io.mcpwarden.core.integrity;

import java.util.Locale;

/**
 * Where a pinned definition stands. Only {@link #APPROVED} items are listed and callable.
 *
 * <ul>
 *   <li>{@code APPROVED}: the current definition is the pinned one, trusted on first use or by an admin.
 *   <li>{@code PENDING}: never approved (new under require-approval, added after first use, or
 *       flagged as shadowing or a look-alike); waits for an admin.
 *   <li>{@code QUARANTINED}: the definition changed after approval, or the poisoning detector
 *       flagged it; waits for an admin.
 *   <li>{@code REJECTED}: an admin refused this definition; it stays hidden until it changes.
 * </ul>
 */
public enum PinState {
  APPROVED,
  PENDING,
  QUARANTINED,
  REJECTED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The state named by {@link #label()}, or null. */
  public static PinState parse(String s) {
    for (PinState p : values()) {
      if (p.name().equalsIgnoreCase(s)) {
        return p;
      }
    }
    return null;
  }
}
