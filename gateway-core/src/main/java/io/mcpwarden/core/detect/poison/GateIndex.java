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
  /** Per rule: whether every match starts exactly at one of its gate literals. */
  private final List<Boolean> anchorable = new ArrayList<>();
  /** Per rule: the same for each near pattern. */
  private final List<boolean[]> nearAnchorable = new ArrayList<>();

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
      anchorable.add(g[0] != null && RuleGate.anchorable(r.pattern().pattern()));
      boolean[] na = new boolean[r.near().size()];
      for (int k = 0; k < na.length; k++) {
        na[k] = g[k + 1] != null && RuleGate.anchorable(r.near().get(k).pattern());
      }
      nearAnchorable.add(na);
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

  /**
   * A rule worth running on a text, with the positions where a match can start (every match of
   * an anchorable rule begins with one of its literals), or null to scan the whole text.
   */
  record Admitted(Rule rule, int[] candidates, List<int[]> nearCandidates) {}

  /**
   * The rules whose gates {@code flatText} (see {@link RuleGate#flatten}) lets through, in table
   * order, with their candidate start positions. A newline in the text matches a space in a
   * literal.
   */
  List<Admitted> admitted(String flatText) {
    BitSet found = new BitSet(literals.length);
    int[][] positions = new int[literals.length][];
    int[] counts = new int[literals.length];
    int n = flatText.length();
    for (int i = 0; i < n; i++) {
      char c = space(flatText.charAt(i));
      int[] singles = bySingle.isEmpty() ? null : bySingle.get(c);
      if (singles != null) {
        for (int id : singles) {
          record(found, positions, counts, id, i);
        }
      }
      if (i + 1 < n) {
        int[] bucket = byPair[key(c, space(flatText.charAt(i + 1)))];
        if (bucket != null) {
          for (int id : bucket) {
            if (startsWith(flatText, literals[id], i)) {
              record(found, positions, counts, id, i);
            }
          }
        }
      }
    }
    List<Admitted> out = new ArrayList<>();
    for (int r = 0; r < rules.size(); r++) {
      boolean ok = true;
      for (int[] gate : ruleGates.get(r)) {
        if (gate != null && !any(found, gate)) {
          ok = false;
          break;
        }
      }
      if (ok) {
        Rule rule = rules.get(r);
        int[][] gates = ruleGates.get(r);
        List<int[]> near = new ArrayList<>(gates.length - 1);
        for (int k = 1; k < gates.length; k++) {
          near.add(nearAnchorable.get(r)[k - 1] ? candidates(gates[k], positions, counts) : null);
        }
        out.add(new Admitted(rule, anchorable.get(r) ? candidates(gates[0], positions, counts) : null, near));
      }
    }
    return out;
  }

  private static char space(char c) {
    return c == '\n' ? ' ' : c;
  }

  private static boolean startsWith(String text, String literal, int at) {
    if (at + literal.length() > text.length()) {
      return false;
    }
    for (int k = 0; k < literal.length(); k++) {
      if (space(text.charAt(at + k)) != literal.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static void record(BitSet found, int[][] positions, int[] counts, int id, int at) {
    found.set(id);
    if (positions[id] == null) {
      positions[id] = new int[4];
    } else if (counts[id] == positions[id].length) {
      positions[id] = java.util.Arrays.copyOf(positions[id], counts[id] * 2);
    }
    positions[id][counts[id]++] = at;
  }

  private static int[] candidates(int[] gate, int[][] positions, int[] counts) {
    int total = 0;
    for (int id : gate) {
      total += counts[id];
    }
    int[] all = new int[total];
    int k = 0;
    for (int id : gate) {
      if (counts[id] > 0) {
        System.arraycopy(positions[id], 0, all, k, counts[id]);
        k += counts[id];
      }
    }
    return java.util.Arrays.stream(all).sorted().distinct().toArray();
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
