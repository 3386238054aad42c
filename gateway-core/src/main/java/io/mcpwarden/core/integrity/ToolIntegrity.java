package io.mcpwarden.core.integrity;

import io.mcpwarden.core.audit.AuditEvent;
import io.mcpwarden.core.audit.AuditLog;
import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.IntegrityConfig.Pinning;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.detect.ToolPoisoningDetector;
import io.mcpwarden.core.detect.Verdict;
import io.mcpwarden.core.route.CatalogFilter;
import io.mcpwarden.core.protocol.ListKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pins every upstream tool, prompt and resource template by fingerprint and decides which of them
 * clients may see and call: only approved definitions, exactly as approved.
 *
 * <p>It sees each upstream list as it arrives ({@link #arrived}): a new item is approved (trust on
 * first use, first list only) or left pending; a changed fingerprint quarantines the item; the
 * poisoning detector and the shadowing check can hold back any new or changed item. Decisions are
 * written to the {@link ToolPinStore} with who and when, audited, and cached in memory so listing
 * and calling cost no database access. Decisions made by another process (the {@code tools} CLI)
 * are picked up within {@link #REFRESH} through the store's revision.
 */
public final class ToolIntegrity implements CatalogFilter {
  private static final Logger LOG = LoggerFactory.getLogger(ToolIntegrity.class);
  /** How often the store's revision is checked for decisions made by other processes. */
  public static final Duration REFRESH = Duration.ofSeconds(1);
  /** Who automatic decisions are recorded as. */
  public static final String GATEWAY = "gateway";
  public static final String TOFU = "trust-on-first-use";

  private final ToolPinStore store;
  private final ToolPoisoningDetector detector;
  private final AuditLog audit;
  private final Clock clock;
  private final Map<String, Pinning> modes = new HashMap<>();
  private final Map<String, String> prefixes = new LinkedHashMap<>();
  /** Read without the lock on every list and call; written under it. */
  private final Map<PinKey, PinRecord> cache = new ConcurrentHashMap<>();
  private final Set<String> baselines = new HashSet<>();
  private final AtomicLong version = new AtomicLong();
  private long knownRevision = -1;
  private volatile long lastRefreshMillis = Long.MIN_VALUE;

  /**
   * @param detector judges new and changed tool definitions; a flagged verdict quarantines
   * @param audit where quarantines, pending items and approvals are reported
   */
  public ToolIntegrity(GatewayConfig config, ToolPinStore store, ToolPoisoningDetector detector, AuditLog audit, Clock clock) {
    this.store = store;
    this.detector = detector;
    this.audit = audit;
    this.clock = clock;
    for (ServerConfig sc : config.servers()) {
      modes.put(sc.name(), config.integrity().pinning(sc));
      prefixes.put(sc.name(), sc.prefix() ? sc.name() + config.toolSeparator() : "");
    }
    synchronized (this) {
      reload();
    }
  }

  /** The pinned kind of a list, or null for lists that are not pinned (concrete resources). */
  public static ItemKind kindOf(ListKind kind) {
    return switch (kind) {
      case TOOLS -> ItemKind.TOOL;
      case PROMPTS -> ItemKind.PROMPT;
      case TEMPLATES -> ItemKind.RESOURCE_TEMPLATE;
      case RESOURCES -> null;
    };
  }

  // ---------------------------------------------------------------- CatalogFilter

  @Override
  public void arrived(String server, ListKind listKind, List<ObjectNode> items) {
    ItemKind kind = kindOf(listKind);
    if (kind != null) {
      observe(server, kind, items);
    }
  }

  @Override
  public boolean admits(String server, ListKind listKind, ObjectNode item) {
    ItemKind kind = kindOf(listKind);
    if (kind == null) {
      return true;
    }
    String name = item.path(kind.nameKey()).asString(null);
    if (name == null) {
      return false;
    }
    PinRecord r = cache.get(new PinKey(server, kind, name));
    // The item must be the approved definition itself, not merely carry an approved name: a
    // session still holding an older copy of a since-changed tool must not show the old text.
    return r != null && r.state() == PinState.APPROVED && Fingerprint.of(kind, item).sha256().equals(r.pinnedFingerprint());
  }

  @Override
  public long version() {
    if (stale(clock.millis())) { // the common case takes no lock: one clock read
      synchronized (this) {
        refreshIfStale();
      }
    }
    return version.get();
  }

  // ---------------------------------------------------------------- observing lists

  /** Records one server's freshly fetched list of one kind and decides about new and changed items. */
  public synchronized void observe(String server, ItemKind kind, List<ObjectNode> items) {
    refreshNow(); // decisions about to be made must build on the latest ones, the CLI's included
    Instant now = clock.instant();
    boolean firstList = !baselines.contains(baselineKey(server, kind));
    Pinning mode = modes.getOrDefault(server, Pinning.REQUIRE_APPROVAL);
    Set<String> ownNames = new HashSet<>();
    for (ObjectNode item : items) {
      String n = item.path(kind.nameKey()).asString(null);
      if (n != null) {
        ownNames.add(n);
      }
    }
    boolean changed = false;
    for (ObjectNode item : items) {
      String name = item.path(kind.nameKey()).asString(null);
      if (name == null) {
        continue;
      }
      PinKey key = new PinKey(server, kind, name);
      Fingerprint f = Fingerprint.of(kind, item);
      PinRecord old = cache.get(key);
      if (old != null && old.fingerprint().equals(f.sha256())) {
        continue;
      }
      List<String> flags = kind == ItemKind.RESOURCE_TEMPLATE ? List.of()
          : ShadowingCheck.findings(server, name, f, ownNames, others(server, kind));
      Verdict verdict = kind == ItemKind.TOOL ? inspect(key, item) : Verdict.CLEAN;
      PinRecord next = old == null ? first(key, f, now, mode, firstList, flags, verdict) : change(old, f, now, flags, verdict);
      save(old, next);
      changed = true;
    }
    if (firstList && !items.isEmpty()) {
      // An empty first answer (an upstream error, a server still starting) is no baseline to trust.
      store.markBaseline(server, kind, now);
      baselines.add(baselineKey(server, kind));
    }
    if (changed) {
      knownRevision = store.revision();
      version.incrementAndGet();
    }
  }

  private PinRecord first(PinKey key, Fingerprint f, Instant now, Pinning mode, boolean firstList, List<String> flags, Verdict verdict) {
    PinRecord r = new PinRecord(key, f.sha256(), f.canonical(), null, null, PinState.PENDING, now, GATEWAY, now, null);
    if (verdict.flagged()) {
      // The shadowing findings, if any, go with the detector's reasons: both help the reviewer.
      String why = flags.isEmpty() ? detectorReason(verdict) : detectorReason(verdict) + "; " + String.join("; ", flags);
      return r.decided(PinState.QUARANTINED, GATEWAY, now, why);
    }
    if (!flags.isEmpty()) {
      return r.decided(PinState.PENDING, GATEWAY, now, String.join("; ", flags));
    }
    if (mode == Pinning.TRUST_ON_FIRST_USE && firstList) {
      return r.approved(TOFU, now, "offered when the server was first seen");
    }
    if (mode == Pinning.TRUST_ON_FIRST_USE) {
      return r.decided(PinState.PENDING, GATEWAY, now,
          "new " + key.kind().label() + " after first use (trust-on-first-use trusts only the first list; a renamed tool is new)");
    }
    return r.decided(PinState.PENDING, GATEWAY, now, "new " + key.kind().label() + ": waiting for approval (require-approval)");
  }

  private PinRecord change(PinRecord old, Fingerprint f, Instant now, List<String> flags, Verdict verdict) {
    PinRecord seen = old.seen(f);
    List<String> why = new ArrayList<>();
    if (verdict.flagged()) {
      why.add(detectorReason(verdict));
    }
    why.addAll(flags);
    if (f.sha256().equals(old.pinnedFingerprint()) && old.state() == PinState.QUARANTINED && why.isEmpty()) {
      // The server went back to exactly what was approved: that definition is trusted as before.
      return seen.decided(PinState.APPROVED, GATEWAY, now, "definition back to the approved one");
    }
    if (old.state() == PinState.PENDING) {
      why.add(0, "changed while waiting for approval");
      return seen.decided(verdict.flagged() ? PinState.QUARANTINED : PinState.PENDING, GATEWAY, now, String.join("; ", why));
    }
    why.add(0, "definition changed since " + (old.pinnedFingerprint() == null ? "it was first seen" : "approval") + " (pinned "
        + abbreviate(old.pinnedFingerprint() == null ? old.fingerprint() : old.pinnedFingerprint()) + ", now " + abbreviate(f.sha256()) + ")");
    return seen.decided(PinState.QUARANTINED, GATEWAY, now, String.join("; ", why));
  }

  private Verdict inspect(PinKey key, ObjectNode item) {
    try {
      return detector.inspect(item);
    } catch (RuntimeException e) {
      // Fail closed: a detector that cannot judge a definition does not let it through.
      LOG.error("poisoning detector failed on {}; treating it as flagged", key, e);
      return new Verdict(1.0, true, List.of("detector error: " + e.getClass().getSimpleName()));
    }
  }

  private static String detectorReason(Verdict v) {
    return "poisoning detector (score " + String.format(java.util.Locale.ROOT, "%.2f", v.score()) + "): "
        + (v.reasons().isEmpty() ? "flagged" : String.join(", ", v.reasons()));
  }

  private List<ShadowingCheck.Other> others(String server, ItemKind kind) {
    List<ShadowingCheck.Other> out = new ArrayList<>();
    for (PinRecord r : cache.values()) {
      if (!r.key().server().equals(server) && r.key().kind() == kind && r.state() != PinState.REJECTED) {
        out.add(new ShadowingCheck.Other(r.key().server(), r.key().name(),
            prefixes.getOrDefault(r.key().server(), "") + r.key().name(), r.fingerprint()));
      }
    }
    return out;
  }

  private void save(PinRecord old, PinRecord next) {
    PinDecision d = new PinDecision(next.key(), old == null ? null : old.state(), next.state(), next.fingerprint(),
        next.decidedBy(), next.decidedAt(), next.reason());
    store.save(next, d);
    cache.put(next.key(), next);
    report(old, next);
  }

  private void report(PinRecord old, PinRecord next) {
    String what = next.key().kind().label() + " '" + next.key().name() + "' of server '" + next.key().server() + "'";
    String type;
    String decision;
    switch (next.state()) {
      case QUARANTINED -> {
        type = "integrity.quarantine";
        decision = "deny";
        LOG.warn("QUARANTINED {}: {}. Review with: mcp-warden tools diff {} {}", what, next.reason(), next.key().server(), next.key().name());
      }
      case PENDING -> {
        type = "integrity.pending";
        decision = "deny";
        LOG.warn("{} is pending approval: {}", what, next.reason());
      }
      case REJECTED -> {
        type = "integrity.reject";
        decision = "deny";
        LOG.info("{} rejected by {}", what, next.decidedBy());
      }
      case APPROVED -> {
        type = "integrity.approve";
        decision = "allow";
        LOG.info("{} approved ({}): {}", what, next.decidedBy(), next.reason());
      }
      default -> throw new IllegalStateException();
    }
    audit.append(new AuditEvent(next.decidedAt(), type, next.decidedBy(), null, null, next.key().server(),
        next.key().kind().label() + ":" + next.key().name(), decision, 0, 0, 0,
        (old == null ? "first seen" : "was " + old.state().label()) + "; " + next.fingerprint() + "; " + next.reason()));
  }

  // ---------------------------------------------------------------- queries

  /**
   * The non-approved record behind a name a client used, when there is one: how the gateway
   * explains a refused call instead of answering "unknown tool".
   *
   * @param exposedName the (namespaced) name the client sent
   */
  public synchronized Optional<PinRecord> withheld(ItemKind kind, String exposedName) {
    refreshIfStale();
    for (Map.Entry<String, String> e : prefixes.entrySet()) {
      String prefix = e.getValue();
      if (exposedName.startsWith(prefix) && exposedName.length() > prefix.length()) {
        PinRecord r = cache.get(new PinKey(e.getKey(), kind, exposedName.substring(prefix.length())));
        if (r != null && r.state() != PinState.APPROVED) {
          return Optional.of(r);
        }
      }
    }
    return Optional.empty();
  }

  /** The current record of an item, if the gateway has seen it. */
  public synchronized Optional<PinRecord> record(PinKey key) {
    refreshIfStale();
    return Optional.ofNullable(cache.get(key));
  }

  /** Records an admin's decision made in this process (admin API) and applies it at once. */
  public synchronized PinRecord decide(PinKey key, boolean approve, String by, String reason) {
    refreshNow();
    PinRecord old = cache.get(key);
    PinRecord r = new PinApprovals(store, clock).decide(key, approve, by, reason);
    cache.put(key, r);
    report(old, r);
    knownRevision = store.revision();
    version.incrementAndGet();
    return r;
  }

  /** The store this gateway pins into (for the admin API). */
  public ToolPinStore store() {
    return store;
  }

  // ---------------------------------------------------------------- cache

  private boolean stale(long now) {
    long last = lastRefreshMillis;
    return last == Long.MIN_VALUE || now - last >= REFRESH.toMillis() || now < last;
  }

  private void refreshIfStale() {
    long now = clock.millis();
    if (!stale(now)) {
      return;
    }
    lastRefreshMillis = now;
    refreshNow();
  }

  private void refreshNow() {
    if (store.revision() != knownRevision) {
      reload();
      version.incrementAndGet();
    }
  }

  private void reload() {
    knownRevision = store.revision();
    Map<PinKey, PinRecord> fresh = new HashMap<>();
    for (PinRecord r : store.all()) {
      fresh.put(r.key(), r);
    }
    // Never empty in between: readers without the lock see old or new records, not none.
    cache.putAll(fresh);
    cache.keySet().retainAll(fresh.keySet());
    baselines.clear();
    for (String server : modes.keySet()) {
      for (ItemKind k : ItemKind.values()) {
        if (store.hasBaseline(server, k)) {
          baselines.add(baselineKey(server, k));
        }
      }
    }
  }

  private static String baselineKey(String server, ItemKind kind) {
    return server + "\u0000" + kind.label();
  }

  static String abbreviate(String fingerprint) {
    return fingerprint == null ? "none" : fingerprint.length() > 19 ? fingerprint.substring(0, 19) + "…" : fingerprint;
  }
}
