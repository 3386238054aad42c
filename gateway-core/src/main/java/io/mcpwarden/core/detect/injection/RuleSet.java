package io.mcpwarden.core.detect.injection;

import io.mcpwarden.core.detect.injection.Rule.Hit;
import io.mcpwarden.core.detect.injection.Rule.Near;
import io.mcpwarden.core.detect.injection.Rule.Phrase;
import io.mcpwarden.core.detect.text.LiteralIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table of {@link Rule}s compiled for matching: one {@link LiteralIndex} scan finds every
 * trigger and every start literal ({@link StartLiterals}) of every rule, then each rule whose
 * triggers occur is tried only where one of its start literals occurs.
 *
 * <p>Why: the regular expressions open with alternations of dozens of verbs; searching for them
 * tries every alternative at every character of a 4 KB result, near every occurrence of a common
 * trigger word. Attempting a match only at the few positions where a match can start gives the
 * same hits (every match starts at a start literal; attempts skip positions inside the previous
 * hit, as a search would) for a fraction of the cost. Rules whose start literals cannot be derived
 * are searched near their triggers, as before. Immutable and thread-safe.
 */
final class RuleSet {
  private final List<Rule> rules;
  private final LiteralIndex index;
  /** Per rule: literal ids of its whole-word triggers, of its substring triggers. */
  private final int[][] words;
  private final int[][] substrings;
  /** Per rule: literal ids of its start literals (of the primary pattern for a Near), or null. */
  private final int[][] starts;

  /** Literal ids of the watched literals (see {@link #anyWatched}). */
  private final int[] watched;
  private final List<List<String>> startLists;

  RuleSet(List<Rule> rules) {
    this(rules, List.of());
  }

  /**
   * A rule set whose scan also looks for {@code watched} literals, so a caller can ask {@link
   * #anyWatched} about them at no extra pass over the text.
   */
  RuleSet(List<Rule> rules, List<String> watched) {
    this.rules = List.copyOf(rules);
    List<String> literals = new ArrayList<>(watched);
    List<List<String>> startLists = new ArrayList<>();
    for (Rule r : rules) {
      literals.addAll(r.triggers().words());
      literals.addAll(r.triggers().substrings());
      literals.addAll(r.triggers().nonAscii());
      Pattern primary = switch (r) {
        case Phrase p -> p.pattern();
        case Near n -> n.pattern();
      };
      List<String> s = StartLiterals.of(primary.pattern());
      startLists.add(s);
      if (s != null) {
        literals.addAll(s);
      }
    }
    this.index = new LiteralIndex(literals);
    this.startLists = startLists;
    this.watched = ids(watched);
    int n = rules.size();
    words = new int[n][];
    substrings = new int[n][];
    starts = new int[n][];
    for (int i = 0; i < n; i++) {
      Rule.Triggers t = rules.get(i).triggers();
      words[i] = ids(t.words());
      List<String> subs = new ArrayList<>(t.substrings());
      subs.addAll(t.nonAscii());
      substrings[i] = ids(subs);
      starts[i] = startLists.get(i) == null ? null : ids(startLists.get(i));
    }
  }

  private int[] ids(List<String> literals) {
    return literals.stream().mapToInt(index::id).distinct().toArray();
  }

  List<Rule> rules() {
    return rules;
  }

  /**
   * Every start literal of every rule, reversed; null when a rule has none. A text whose reverse
   * can hit a rule of this set contains one of them.
   */
  List<String> reversedStarts() {
    List<String> out = new ArrayList<>();
    for (List<String> s : startLists) {
      if (s == null) {
        return null;
      }
      s.forEach(l -> out.add(new StringBuilder(l).reverse().toString()));
    }
    return out;
  }

  /** Whether one of the watched literals occurs in the scanned text. */
  boolean anyWatched(LiteralIndex.Occurrences occ) {
    for (int id : watched) {
      if (occ.count(id) > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reports every hit of every rule on {@code text} (folded), rule by rule in table order, and
   * returns the literal scan (for {@link #anyWatched}).
   */
  LiteralIndex.Occurrences findAll(String text, Consumer<Hit> hits) {
    LiteralIndex.Occurrences occ = index.scan(text);
    for (int r = 0; r < rules.size(); r++) {
      Rule rule = rules.get(r);
      if (!triggered(r, occ, text)) {
        continue;
      }
      switch (rule) {
        case Phrase p -> phrase(r, p, occ, text, hits);
        case Near near -> near(r, near, occ, text, hits);
      }
    }
    return occ;
  }

  private boolean triggered(int r, LiteralIndex.Occurrences occ, String text) {
    if (words[r].length == 0 && substrings[r].length == 0) {
      return true;
    }
    for (int id : substrings[r]) {
      if (occ.count(id) > 0) {
        return true;
      }
    }
    for (int id : words[r]) {
      int len = index.literal(id).length();
      for (int k = 0, c = occ.count(id); k < c; k++) {
        int at = occ.position(id, k);
        if (wordBoundary(text, at - 1) && wordBoundary(text, at + len)) {
          return true;
        }
      }
    }
    return false;
  }

  private void phrase(int r, Phrase p, LiteralIndex.Occurrences occ, String text, Consumer<Hit> hits) {
    Matcher m = p.pattern().matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
    if (starts[r] != null) {
      int n = text.length();
      int last = -1;
      for (int at : candidates(starts[r], occ)) {
        if (at < last) {
          continue;
        }
        m.region(at, n);
        if (m.lookingAt()) {
          hits.accept(new Hit(p, m.start(), m.end()));
          last = Math.max(m.end(), at + 1);
        }
      }
      return;
    }
    for (int[] region : regions(r, occ, text, p.before(), p.after())) {
      m.region(region[0], region[1]);
      while (m.find()) {
        hits.accept(new Hit(p, m.start(), m.end()));
      }
    }
  }

  private void near(int r, Near rule, LiteralIndex.Occurrences occ, String text, Consumer<Hit> hits) {
    Matcher m = rule.pattern().matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
    Matcher c = rule.companion().matcher(text);
    int n = text.length();
    List<int[]> primary = new ArrayList<>();
    if (starts[r] != null) {
      int last = -1;
      for (int at : candidates(starts[r], occ)) {
        if (at >= last) {
          m.region(at, n);
          if (m.lookingAt()) {
            primary.add(new int[] {m.start(), m.end()});
            last = Math.max(m.end(), at + 1);
          }
        }
      }
    } else {
      while (m.find()) {
        primary.add(new int[] {m.start(), m.end()});
      }
    }
    for (int[] p : primary) {
      c.region(Math.max(0, p[0] - rule.window()), Math.min(n, p[1] + rule.window()));
      if (c.find()) {
        hits.accept(new Hit(rule, Math.min(p[0], c.start()), Math.max(p[1], c.end())));
      }
    }
  }

  /** Ascending distinct positions of any of {@code ids}. */
  private static int[] candidates(int[] ids, LiteralIndex.Occurrences occ) {
    int total = 0;
    for (int id : ids) {
      total += occ.count(id);
    }
    if (total == 0) {
      return new int[0];
    }
    int[] all = new int[total];
    int k = 0;
    for (int id : ids) {
      for (int j = 0, c = occ.count(id); j < c; j++) {
        all[k++] = occ.position(id, j);
      }
    }
    Arrays.sort(all);
    int distinct = 0;
    for (int i = 0; i < all.length; i++) {
      if (i == 0 || all[i] != all[i - 1]) {
        all[distinct++] = all[i];
      }
    }
    return distinct == all.length ? all : Arrays.copyOf(all, distinct);
  }

  /**
   * The ranges from {@code before} characters before to {@code after} characters after each
   * trigger occurrence, merged: every match lies inside one when the window covers the rule's
   * longest match.
   */
  private List<int[]> regions(int r, LiteralIndex.Occurrences occ, String text, int before, int after) {
    int n = text.length();
    if (words[r].length == 0 && substrings[r].length == 0) {
      return List.of(new int[] {0, n});
    }
    List<int[]> spots = new ArrayList<>();
    for (int id : words[r]) {
      int len = index.literal(id).length();
      for (int k = 0, c = occ.count(id); k < c; k++) {
        int at = occ.position(id, k);
        if (wordBoundary(text, at - 1) && wordBoundary(text, at + len)) {
          spots.add(new int[] {Math.max(0, at - before), Math.min(n, at + len + after)});
        }
      }
    }
    for (int id : substrings[r]) {
      int len = index.literal(id).length();
      for (int k = 0, c = occ.count(id); k < c; k++) {
        int at = occ.position(id, k);
        spots.add(new int[] {Math.max(0, at - before), Math.min(n, at + len + after)});
      }
    }
    if (spots.isEmpty()) {
      return List.of();
    }
    spots.sort((a, b) -> Integer.compare(a[0], b[0]));
    List<int[]> merged = new ArrayList<>();
    int[] current = spots.getFirst();
    for (int[] sp : spots) {
      if (sp[0] <= current[1]) {
        current[1] = Math.max(current[1], sp[1]);
      } else {
        merged.add(current);
        current = sp;
      }
    }
    merged.add(current);
    return merged;
  }

  /** True unless {@code i} is inside the text and holds an ASCII letter or digit. */
  private static boolean wordBoundary(String text, int i) {
    if (i < 0 || i >= text.length()) {
      return true;
    }
    char c = text.charAt(i);
    return !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
  }
}
