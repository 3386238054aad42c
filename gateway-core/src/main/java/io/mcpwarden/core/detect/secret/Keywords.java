package io.mcpwarden.core.detect.secret;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules' pre-filter keywords, all looked for in one pass over a text.
 *
 * <p>Each rule runs its expression only when one of its keywords occurs (case-insensitively).
 * Asking {@code text.toLowerCase().contains(k)} for every keyword of a hundred rules reads a 4 KB
 * result a hundred and fifty times; this index reads it once, looking up each pair of adjacent
 * characters in a table of the keywords that begin with that pair.
 *
 * <p>Case folding is ASCII only on the text side and full on the keyword comparison, which finds
 * every place where a rule's expression could match: the expressions are case-sensitive or use
 * Java's ASCII-only {@code (?i)}.
 */
final class Keywords {
  private final Map<String, Integer> ids = new HashMap<>();
  /**
   * The ids of each rule's keyword list, by that list's identity (filled by {@link #of}, then only
   * read): a rule's pre-filter costs one lookup instead of one per keyword.
   */
  private final Map<List<String>, int[]> idLists = new IdentityHashMap<>();
  private final String[] words;
  /** Keyword ids by their first two characters (ASCII, lower-cased): {@code c0 * 128 + c1}. */
  private final int[][] byPair = new int[128 * 128][];
  /** One-character keywords by that character. */
  private final boolean[] single = new boolean[128];
  private final int[] singleIds = new int[128];
  /** Keywords not starting with two ASCII characters: looked for one by one. */
  private final int[] others;

  Keywords(Set<String> keywords) {
    this.words = keywords.toArray(String[]::new);
    List<Integer> rest = new ArrayList<>();
    for (int id = 0; id < words.length; id++) {
      String w = words[id];
      ids.put(w, id);
      if (w.length() == 1 && w.charAt(0) < 128) {
        single[fold(w.charAt(0))] = true;
        singleIds[fold(w.charAt(0))] = id;
      } else if (w.length() >= 2 && w.charAt(0) < 128 && w.charAt(1) < 128) {
        int pair = fold(w.charAt(0)) * 128 + fold(w.charAt(1));
        int[] old = byPair[pair];
        byPair[pair] = old == null ? new int[] {id} : append(old, id);
      } else {
        rest.add(id);
      }
    }
    this.others = rest.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The keywords of all {@code rules}, deduplicated. */
  static Keywords of(List<SecretRule> rules) {
    Set<String> all = new LinkedHashSet<>();
    for (SecretRule r : rules) {
      all.addAll(r.keywords());
    }
    Keywords k = new Keywords(all);
    for (SecretRule r : rules) {
      k.idLists.put(r.keywords(), r.keywords().stream().mapToInt(k.ids::get).toArray());
    }
    return k;
  }

  /** Which keywords occur in one text. */
  final class Found {
    private final boolean[] hit;

    private Found(boolean[] hit) {
      this.hit = hit;
    }

    /** Whether {@code keyword} (one the index was built with) occurs in the text. */
    boolean has(String keyword) {
      Integer id = ids.get(keyword);
      if (id == null) {
        throw new IllegalArgumentException("not an indexed keyword: " + keyword);
      }
      return hit[id];
    }

    /** Whether any of {@code keywords} occurs (true when the list is empty: no pre-filter). */
    boolean any(List<String> keywords) {
      if (keywords.isEmpty()) {
        return true;
      }
      int[] known = idLists.get(keywords);
      if (known != null) {
        for (int id : known) {
          if (hit[id]) {
            return true;
          }
        }
        return false;
      }
      for (String k : keywords) {
        if (has(k)) {
          return true;
        }
      }
      return false;
    }
  }

  Found scan(String text) {
    boolean[] hit = new boolean[words.length];
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c0 = text.charAt(i);
      if (c0 >= 128) {
        continue;
      }
      int f0 = fold(c0);
      if (single[f0]) {
        hit[singleIds[f0]] = true;
      }
      if (i + 1 == n) {
        break;
      }
      char c1 = text.charAt(i + 1);
      if (c1 >= 128) {
        continue;
      }
      int[] candidates = byPair[f0 * 128 + fold(c1)];
      if (candidates != null) {
        for (int id : candidates) {
          if (!hit[id] && text.regionMatches(true, i, words[id], 0, words[id].length())) {
            hit[id] = true;
          }
        }
      }
    }
    for (int id : others) {
      hit[id] = containsIgnoreCase(text, words[id]);
    }
    return new Found(hit);
  }

  private static boolean containsIgnoreCase(String text, String word) {
    for (int i = 0; i + word.length() <= text.length(); i++) {
      if (text.regionMatches(true, i, word, 0, word.length())) {
        return true;
      }
    }
    return false;
  }

  private static int fold(char c) {
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
  }

  private static int[] append(int[] a, int v) {
    int[] out = Arrays.copyOf(a, a.length + 1);
    out[a.length] = v;
    return out;
  }
}
