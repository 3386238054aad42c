package io.mcpwarden.core.detect.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed set of literal strings, all found in one pass over a text: where each one occurs.
 *
 * <p>Why: rule tables gate their regular expressions on literals (trigger words, the words a
 * match must start with). Looking each literal up with {@code String.indexOf} costs one scan of
 * the text per literal, hundreds per text; bucketing literals by their first characters (up to
 * six, so literals sharing a common word such as "the" do not all land in one bucket) finds them
 * all in a single scan, so the cost of the gate no longer grows with the rule table.
 * Immutable and thread-safe; each {@link #scan} returns its own {@link Occurrences}.
 */
public final class LiteralIndex {
  /** Buckets per key length: small, so the tables stay in cache (a miss per character costs more than a collision). */
  private static final int BITS = 11;
  private static final int BUCKETS = 1 << BITS;
  private static final int[] NONE = new int[0];

  /** Literals are bucketed by a hash of their first K characters, K the largest of these <= length. */
  private static final int[] KEYS = {1, 3, 6};

  private final String[] literals;
  private final char[][] chars;
  private final Map<String, Integer> ids;
  /** Per key length of {@link #KEYS}: literal ids by the hash of their first K characters. */
  private final int[][][] buckets = new int[KEYS.length][][];
  /** Whether any literal starts with the character (most text characters start none). */
  private final boolean[] starts = new boolean[1 << 16];

  /** An index of the distinct non-empty strings of {@code literals}. */
  public LiteralIndex(List<String> literals) {
    Map<String, Integer> idOf = new LinkedHashMap<>();
    for (String l : literals) {
      if (l.isEmpty()) {
        throw new IllegalArgumentException("empty literal");
      }
      idOf.putIfAbsent(l, idOf.size());
    }
    this.ids = Map.copyOf(idOf);
    this.literals = idOf.keySet().toArray(String[]::new);
    this.chars = Arrays.stream(this.literals).map(String::toCharArray).toArray(char[][]::new);
    List<Map<Integer, List<Integer>>> byKey = new ArrayList<>();
    for (int k = 0; k < KEYS.length; k++) {
      byKey.add(new HashMap<>());
    }
    for (int id = 0; id < this.literals.length; id++) {
      char[] l = chars[id];
      starts[l[0]] = true;
      int tier = 0;
      while (tier + 1 < KEYS.length && KEYS[tier + 1] <= l.length) {
        tier++;
      }
      int h = 0;
      for (int k = 0; k < KEYS[tier]; k++) {
        h = h * 31 + l[k];
      }
      byKey.get(tier).computeIfAbsent(bucket(h), x -> new ArrayList<>()).add(id);
    }
    for (int tier = 0; tier < KEYS.length; tier++) {
      if (byKey.get(tier).isEmpty()) {
        continue;
      }
      int[][] table = new int[BUCKETS][];
      byKey.get(tier).forEach((key, v) -> table[key] = v.stream().mapToInt(Integer::intValue).toArray());
      buckets[tier] = table;
    }
  }

  /** The id of {@code literal}, or -1 when it is not in the index. */
  public int id(String literal) {
    Integer id = ids.get(literal);
    return id == null ? -1 : id;
  }

  /** The literal with id {@code id}. */
  public String literal(int id) {
    return literals[id];
  }

  /** Number of distinct literals. */
  public int size() {
    return literals.length;
  }

  private static int bucket(int h) {
    return (h * 0x9E3779B9) >>> (32 - BITS);
  }

  /** Every occurrence of every literal in {@code text} (overlapping ones included). */
  public Occurrences scan(String text) {
    // one copy to an array: charAt on a UTF-16 string costs a bounds check per character
    char[] t = text.toCharArray();
    int n = t.length;
    Hits hits = new Hits();
    for (int i = 0; i < n; i++) {
      char c = t[i];
      if (!starts[c]) {
        continue;
      }
      int h = 0;
      int len = 0;
      for (int tier = 0; tier < KEYS.length && i + KEYS[tier] <= n; tier++) {
        while (len < KEYS[tier]) {
          h = h * 31 + t[i + len++];
        }
        if (buckets[tier] != null) {
          hits.match(t, i, buckets[tier][bucket(h)]);
        }
      }
    }
    return hits.group();
  }

  /** The occurrences found so far, in text order. */
  private final class Hits {
    private int[] ids = new int[64];
    private int[] at = new int[64];
    private int size;

    void match(char[] text, int i, int[] bucket) {
      if (bucket == null) {
        return;
      }
      for (int id : bucket) {
        if (startsWith(text, chars[id], i)) {
          if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            at = Arrays.copyOf(at, size * 2);
          }
          ids[size] = id;
          at[size++] = i;
        }
      }
    }

    /**
     * Grouped by literal, each group still in text order. Only the literals that occur are kept
     * (sorted, looked up by binary search): a table sized by the whole index, allocated and summed
     * for every text, was an eighth of the gateway's allocation per call for a few hits.
     */
    Occurrences group() {
      if (size == 0) {
        return Occurrences.NONE_FOUND;
      }
      long[] keys = new long[size];
      for (int k = 0; k < size; k++) {
        keys[k] = (long) ids[k] << 32 | at[k];
      }
      Arrays.sort(keys); // by literal, then by position
      int distinct = 0;
      int[] found = new int[size];
      int[] start = new int[size + 1];
      int[] positions = new int[size];
      for (int k = 0; k < size; k++) {
        int id = (int) (keys[k] >>> 32);
        if (distinct == 0 || found[distinct - 1] != id) {
          found[distinct] = id;
          start[distinct++] = k;
        }
        positions[k] = (int) keys[k];
      }
      start[distinct] = size;
      return new Occurrences(Arrays.copyOf(found, distinct), Arrays.copyOf(start, distinct + 1), positions);
    }
  }

  private static boolean startsWith(char[] text, char[] literal, int at) {
    if (at + literal.length > text.length) {
      return false;
    }
    for (int k = 0; k < literal.length; k++) {
      if (text[at + k] != literal[k]) {
        return false;
      }
    }
    return true;
  }

  /** Where each literal of the index occurs in one text. */
  public static final class Occurrences {
    static final Occurrences NONE_FOUND = new Occurrences(NONE, new int[] {0}, NONE);

    /** The ids of the literals that occur, ascending. */
    private final int[] found;
    /** Where each found literal's positions begin in {@link #positions} (one more entry at the end). */
    private final int[] start;
    private final int[] positions;

    private Occurrences(int[] found, int[] start, int[] positions) {
      this.found = found;
      this.start = start;
      this.positions = positions;
    }

    /** How many times literal {@code id} occurs. */
    public int count(int id) {
      int slot = Arrays.binarySearch(found, id);
      return slot < 0 ? 0 : start[slot + 1] - start[slot];
    }

    /** The {@code k}-th occurrence (ascending) of literal {@code id}, which occurs more than {@code k} times. */
    public int position(int id, int k) {
      int slot = Arrays.binarySearch(found, id);
      if (slot < 0 || k >= start[slot + 1] - start[slot]) {
        throw new IndexOutOfBoundsException("literal " + id + " has no occurrence " + k);
      }
      return positions[start[slot] + k];
    }

    /** Whether any literal occurs at all. */
    public boolean isEmpty() {
      return positions.length == 0;
    }
  }
}
