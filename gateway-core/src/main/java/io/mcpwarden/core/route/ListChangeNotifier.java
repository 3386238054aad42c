package io.mcpwarden.core.route;

import io.mcpwarden.core.guard.PolicyGuard;
import io.mcpwarden.core.policy.Policy;
import io.mcpwarden.core.session.FrontSession;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells connected clients when a decision changed what they may see: an admin approving or
 * rejecting a tool, prompt or resource template (admin API, or the {@code tools} CLI on the
 * store), a quarantine, or a reload of the access policy.
 *
 * <p>Run periodically: each run reads the catalog filter's version, which is also what makes the
 * running gateway see decisions made by another process (tool integrity checks the store's
 * revision when asked), and the policy in force. When the filter's version moved, every open
 * session's already-listed lists are re-filtered; when another policy is in force, every entry of
 * those lists is decided under the old and the new policy for the session's principal. Each
 * session whose visible list actually changed gets that list's {@code list_changed} on its GET
 * stream; sessions that see no difference get nothing. A client that has no GET stream open sees
 * the change at its next list request.
 */
public final class ListChangeNotifier implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ListChangeNotifier.class);

  private final Router router;
  private final Supplier<? extends Collection<FrontSession>> sessions;
  private final PolicyGuard policy;
  private long seenVersion;
  private Policy seenPolicy;

  /** Announces catalog filter decisions only (no access policy). */
  public ListChangeNotifier(Router router, Supplier<? extends Collection<FrontSession>> sessions) {
    this(router, sessions, null);
  }

  /**
   * @param sessions the open front sessions (a snapshot per run)
   * @param policy the policy guard whose reloads are announced, or null for none
   */
  public ListChangeNotifier(Router router, Supplier<? extends Collection<FrontSession>> sessions, PolicyGuard policy) {
    this.router = router;
    this.sessions = sessions;
    this.policy = policy;
    this.seenVersion = router.filterVersion();
    this.seenPolicy = policy == null ? null : policy.inForce();
  }

  /** One check; never throws, so a scheduled executor keeps running it. */
  @Override
  public synchronized void run() {
    try {
      long version = router.filterVersion();
      if (version != seenVersion) {
        seenVersion = version;
        eachSession("a filter decision", router::refreshViews);
      }
      Policy now = policy == null ? null : policy.inForce();
      if (now != seenPolicy) {
        Policy before = seenPolicy;
        seenPolicy = now; // a reference swap: one object per reload, the same one until the next
        eachSession("a policy reload", s -> router.announceChanged(s, (kind, entry) -> policy.visibilityChanged(before, now, s, kind, entry)));
      }
    } catch (RuntimeException e) {
      LOG.warn("list change check failed: {}", e.toString());
    }
  }

  private void eachSession(String after, Consumer<FrontSession> check) {
    for (FrontSession s : sessions.get()) {
      try {
        check.accept(s);
      } catch (RuntimeException e) {
        LOG.debug("session {}: lists not checked after {}: {}", s.id().substring(0, 8), after, e.toString());
      }
    }
  }
}
