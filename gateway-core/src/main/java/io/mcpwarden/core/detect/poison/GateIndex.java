package io.mcpwarden.core.detect.poison;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gate literals of a whole rule table ({@link RuleGate}), found in one pass over a text.
 *
 * <p>Checking each rule's literals with {@code String.contains} costs one scan of the text per
 * literal (over a thousand per tool); bucketing literals by their first two characters finds them
 * all in a single scan, so the cost no longer grows with the size of the rule table.
 */
final class GateIndex {
  private static final int BUCKETS = 1 << 16;

  private final List<Rule> rules;
  private final String[] literals;
  private final int[][] byPair = new int[BUCKETS][];
  private final Map<Character, int[]> bySingle = new HashMap<>();
  /** Per rule: literal ids of its own gate (null: no gate), then of each near gate. */
  private final List<int[][]> ruleGates = new ArrayList<>();

  GateIndex(List<Rule> rules) {
    this.rules = List.copyOf(rules);
    Map<String, Integer> ids = new HashMap<>();
    List<String> lits = new ArrayList<>();
    for (Rule r : rules) {
      int[][] g = new int[1 + r.nearGates().size()][];
      g[0] = ids(r.gate(), ids, lits);
      for (int k = 0; k < r.nearGates().size(); k++) {
        g[k + 1] = ids(r.nearGates().get(k), ids, lits);
      }
      ruleGates.add(g);
    }
    literals = lits.toArray(String[]::new);
    Map<Integer, List<Integer>> pairs = new HashMap<>();
    Map<Character, List<Integer>> singles = new HashMap<>();
    for (int id = 0; id < literals.length; id++) {
      String l = literals[id];
      if (l.length() == 1) {
        singles.computeIfAbsent(l.charAt(0), c -> new ArrayList<>()).add(id);
      } else {
        pairs.computeIfAbsent(key(l.charAt(0), l.charAt(1)), k -> new ArrayList<>()).add(id);
      }
    }
    pairs.forEach((k, v) -> byPair[k] = v.stream().mapToInt(Integer::intValue).toArray());
    singles.forEach((c, v) -> bySingle.put(c, v.stream().mapToInt(Integer::intValue).toArray()));
  }

  private static int[] ids(Optional<List<String>> gate, Map<String, Integer> ids, List<String> lits) {
    if (gate.isEmpty()) {
      return null;
    }
    return gate.get().stream().mapToInt(l -> ids.computeIfAbsent(l, k -> {
      lits.add(k);
      return lits.size() - 1;
    })).toArray();
  }

  private static int key(char a, char b) {
    return (a * 31 + b) & (BUCKETS - 1);
  }

  /** The rules whose gates {@code flatText} (see {@link RuleGate#flatten}) lets through, in table order. */
  List<Rule> admitted(String flatText) {
    BitSet found = new BitSet(literals.length);
    int n = flatText.length();
    for (int i = 0; i < n; i++) {
      char c = flatText.charAt(i);
      if (!bySingle.isEmpty()) {
        int[] singles = bySingle.get(c);
        if (singles != null) {
          for (int id : singles) {
            found.set(id);
          }
        }
      }
      if (i + 1 < n) {
        int[] bucket = byPair[key(c, flatText.charAt(i + 1))];
        if (bucket != null) {
          for (int id : bucket) {
            if (!found.get(id) && flatText.startsWith(literals[id], i)) {
              found.set(id);
            }
          }
        }
      }
    }
    List<Rule> out = new ArrayList<>();
    for (int r = 0; r < rules.size(); r++) {
      boolean ok = true;
      for (int[] gate : ruleGates.get(r)) {
        if (gate != null && !any(found, gate)) {
          ok = false;
          break;
        }
      }
      if (ok) {
        out.add(rules.get(r));
      }
    }
    return out;
  }

  private static boolean any(BitSet found, int[] ids) {
    for (int id : ids) {
      if (found.get(id)) {
        return true;
      }
    }
    return false;
  }
}
