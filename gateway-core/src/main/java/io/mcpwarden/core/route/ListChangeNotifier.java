package io.mcpwarden.core.route;

import io.mcpwarden.core.session.FrontSession;
import java.util.Collection;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells connected clients when a decision of the catalog filter changed what they may see: an
 * admin approving or rejecting a tool, prompt or resource template (admin API, or the {@code
 * tools} CLI on the store), or a quarantine.
 *
 * <p>Run periodically: each run reads the filter's version, which is also what makes the running
 * gateway see decisions made by another process (tool integrity checks the store's revision when
 * asked). When the version moved, every open session's already-listed lists are re-filtered and
 * each session whose visible list actually changed gets that list's {@code list_changed} on its
 * GET stream; sessions that see no difference get nothing. A client that has no GET stream open
 * sees the change at its next list request.
 */
public final class ListChangeNotifier implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ListChangeNotifier.class);

  private final Router router;
  private final Supplier<? extends Collection<FrontSession>> sessions;
  private long seenVersion;

  /** @param sessions the open front sessions (a snapshot per run) */
  public ListChangeNotifier(Router router, Supplier<? extends Collection<FrontSession>> sessions) {
    this.router = router;
    this.sessions = sessions;
    this.seenVersion = router.filterVersion();
  }

  /** One check; never throws, so a scheduled executor keeps running it. */
  @Override
  public synchronized void run() {
    try {
      long version = router.filterVersion();
      if (version == seenVersion) {
        return;
      }
      seenVersion = version;
      for (FrontSession s : sessions.get()) {
        try {
          router.refreshViews(s);
        } catch (RuntimeException e) {
          LOG.debug("session {}: lists not refreshed after a filter decision: {}", s.id().substring(0, 8), e.toString());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("list change check failed: {}", e.toString());
    }
  }
}
