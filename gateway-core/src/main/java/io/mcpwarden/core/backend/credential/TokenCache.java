package io.mcpwarden.core.backend.credential;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Obtained tokens by key (one key for client credentials, one per user for token exchange),
 * used until {@code skew} before they expire and never after.
 *
 * <p>Bounded: past {@code maxEntries} the least recently used entry goes. One fetch per key at a
 * time: concurrent requests of one user wait for the same token rather than each asking the
 * authorization server. An entry may carry a binding (a hash of the subject token it was
 * exchanged from); a request with another binding fetches a new token, so an exchanged token is
 * only ever used with the client token it came from.
 */
final class TokenCache<K> {
  private final int maxEntries;
  private final Duration skew;
  private final Clock clock;
  private final LinkedHashMap<K, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    volatile IssuedToken token;
    volatile byte[] binding;
  }

  TokenCache(int maxEntries, Duration skew, Clock clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1");
    }
    this.maxEntries = maxEntries;
    this.skew = skew;
    this.clock = clock;
  }

  /**
   * The cached token for a key, or a freshly fetched one when there is none, it is due for
   * refresh, or it was bound to another subject token.
   *
   * @param binding what the token must have been obtained for (null: anything)
   */
  IssuedToken get(K key, byte[] binding, Supplier<IssuedToken> fetch) {
    Entry e;
    synchronized (entries) {
      e = entries.computeIfAbsent(key, k -> new Entry());
      evictOverflow();
    }
    e.lock.lock();
    try {
      IssuedToken t = e.token;
      if (t != null && usable(t) && sameBinding(e.binding, binding)) {
        return t;
      }
      e.token = null;
      IssuedToken fresh = fetch.get();
      e.token = fresh;
      e.binding = binding == null ? null : binding.clone();
      return fresh;
    } finally {
      e.lock.unlock();
    }
  }

  private boolean usable(IssuedToken t) {
    return clock.instant().isBefore(t.refreshAt(skew));
  }

  private static boolean sameBinding(byte[] stored, byte[] wanted) {
    if (stored == null || wanted == null) {
      return stored == wanted;
    }
    return MessageDigest.isEqual(stored, wanted);
  }

  private void evictOverflow() {
    Iterator<Map.Entry<K, Entry>> it = entries.entrySet().iterator();
    while (entries.size() > maxEntries && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  /** Forgets the token of a key (the upstream rejected it). */
  void invalidate(K key) {
    Entry e;
    synchronized (entries) {
      e = entries.get(key);
    }
    if (e != null) {
      e.token = null;
    }
  }

  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
