package io.mcpwarden.core.policy;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The policy in force, replaced as a whole on reload.
 *
 * <p>One reference swap: a request reads the reference once and decides with that policy from
 * start to end, so it never sees half of an old rule set and half of a new one.
 */
public final class LivePolicy {
  private final AtomicReference<Policy> current;
  private final AtomicLong version = new AtomicLong(1);

  public LivePolicy(Policy initial) {
    this.current = new AtomicReference<>(initial);
  }

  public Policy get() {
    return current.get();
  }

  /** Puts a new, already compiled policy in force and returns its version number. */
  public long swap(Policy next) {
    current.set(next);
    return version.incrementAndGet();
  }

  /** 1 for the policy loaded at start, one more for each swap. */
  public long version() {
    return version.get();
  }
}
