package io.mcpwarden.core.detect.injection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One hand-written rule for a known shape of indirect prompt injection, matched against folded
 * text.
 *
 * <p>Why a sealed pair of shapes: most shapes are one phrase ({@link Phrase}); code that steals data
 * is two things near each other (a sensitive source and a network sink, {@link Near}), and either
 * alone is ordinary code. Every rule names trigger strings that any match must contain, so the
 * regular expression only runs on texts that can match at all: that keeps 40-odd rules over a 4 KB
 * result well under a millisecond.
 */
sealed interface Rule {
  /** Longer than any match of a {@link Phrase} (all repetitions in the rules are bounded). */
  int WINDOW = 400;

  /** Short stable name, used in reasons and audit records. */
  String name();

  /** How strongly one hit suggests an injection, in (0, 1). */
  double weight();

  /** Reports each hit as a half-open range of the folded text. */
  void find(Text text, Consumer<Hit> hits);

  /** A rule hit in folded-text coordinates. */
  record Hit(Rule rule, int start, int end) {}

  /**
   * The folded text with its set of words, built once and shared by all rules.
   *
   * @param value the folded text
   * @param words every maximal run of ASCII letters and digits in it
   */
  record Text(String value, Set<String> words, boolean ascii) {
    static Text of(String value) {
      Set<String> words = new HashSet<>();
      int n = value.length();
      boolean ascii = true;
      for (int i = 0; i < n && ascii; i++) {
        ascii = value.charAt(i) < 0x80;
      }
      int i = 0;
      while (i < n) {
        char c = value.charAt(i);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
          int start = i;
          while (i < n
              && ((value.charAt(i) >= 'a' && value.charAt(i) <= 'z')
                  || (value.charAt(i) >= '0' && value.charAt(i) <= '9'))) {
            i++;
          }
          words.add(value.substring(start, i));
        } else {
          i++;
        }
      }
      return new Text(value, words, ascii);
    }

    /** True if a trigger occurs: a plain word as a whole word, anything else as a substring. */
    boolean mentions(Triggers triggers) {
      if (triggers.always()) {
        return true;
      }
      for (String w : triggers.words()) {
        if (words.contains(w)) {
          return true;
        }
      }
      for (String t : triggers.substrings()) {
        if (value.contains(t)) {
          return true;
        }
      }
      if (!ascii) {
        for (String t : triggers.nonAscii()) {
          if (value.contains(t)) {
            return true;
          }
        }
      }
      return false;
    }

    /**
     * The ranges within {@code window} characters of any trigger occurrence, merged; empty when no
     * trigger occurs. Every match of a rule lies inside one range when the window is at least the
     * rule's longest possible match.
     */
    List<int[]> regions(Triggers triggers, int before, int after) {
      int n = value.length();
      if (triggers.always()) {
        return List.of(new int[] {0, n});
      }
      List<int[]> spots = new ArrayList<>();
      for (String t : triggers.words()) {
        if (!words.contains(t)) {
          continue;
        }
        for (int at = value.indexOf(t); at >= 0; at = value.indexOf(t, at + 1)) {
          if (!boundaryFails(at - 1) && !boundaryFails(at + t.length())) {
            spots.add(new int[] {Math.max(0, at - before), Math.min(n, at + t.length() + after)});
          }
        }
      }
      for (List<String> list : List.of(triggers.substrings(), ascii ? List.<String>of() : triggers.nonAscii())) {
        for (String t : list) {
          for (int at = value.indexOf(t); at >= 0; at = value.indexOf(t, at + 1)) {
            spots.add(new int[] {Math.max(0, at - before), Math.min(n, at + t.length() + after)});
          }
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

    private boolean boundaryFails(int i) {
      if (i < 0 || i >= value.length()) {
        return false;
      }
      char c = value.charAt(i);
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

  }

  /**
   * Strings one of which every match of a rule contains: whole words (plain ASCII letters and
   * digits), or substrings (anything else, and prefixes written with a trailing {@code *}).
   */
  record Triggers(List<String> words, List<String> substrings, List<String> nonAscii) {
    static Triggers of(List<String> triggers) {
      List<String> words = new ArrayList<>();
      List<String> substrings = new ArrayList<>();
      List<String> nonAscii = new ArrayList<>();
      for (String t : triggers) {
        if (!t.chars().allMatch(c -> c < 0x80)) {
          nonAscii.add(t.endsWith("*") ? t.substring(0, t.length() - 1) : t);
        } else if (t.endsWith("*")) {
          substrings.add(t.substring(0, t.length() - 1));
        } else if (t.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
          words.add(t);
        } else {
          substrings.add(t);
        }
      }
      return new Triggers(List.copyOf(words), List.copyOf(substrings), List.copyOf(nonAscii));
    }

    boolean always() {
      return words.isEmpty() && substrings.isEmpty() && nonAscii.isEmpty();
    }
  }

  /**
   * A single pattern.
   *
   * @param triggers words (matched whole), or other strings and prefixes ending in {@code *}
   *     (matched anywhere), one of which every match contains; empty to always run
   */
  record Phrase(String name, double weight, Pattern pattern, Triggers triggers, int before, int after)
      implements Rule {
    Phrase(String name, double weight, String regex, String... triggers) {
      this(name, weight, Pattern.compile(regex), Triggers.of(List.of(triggers)), WINDOW, WINDOW);
    }

    /**
     * The same rule searched only {@code before} characters before and {@code after} characters
     * after each trigger (where the trigger sits inside every match, e.g. at its end).
     */
    Phrase within(int before, int after) {
      return new Phrase(name, weight, pattern, triggers, before, after);
    }

    @Override
    public void find(Text text, Consumer<Hit> hits) {
      if (!text.mentions(triggers)) {
        return;
      }
      Matcher m = pattern.matcher(text.value()).useTransparentBounds(true).useAnchoringBounds(false);
      for (int[] region : text.regions(triggers, before, after)) {
        m.region(region[0], region[1]);
        while (m.find()) {
          hits.accept(new Hit(this, m.start(), m.end()));
        }
      }
    }
  }

  /**
   * A pattern that counts only with a companion pattern within {@code window} characters either
   * side; the hit covers both. Triggers belong to the companion.
   */
  record Near(
      String name, double weight, Pattern pattern, Pattern companion, int window, Triggers triggers)
      implements Rule {
    Near(String name, double weight, String regex, String companion, int window, String... triggers) {
      this(name, weight, Pattern.compile(regex), Pattern.compile(companion), window, Triggers.of(List.of(triggers)));
    }

    @Override
    public void find(Text text, Consumer<Hit> hits) {
      if (!text.mentions(triggers)) {
        return;
      }
      String t = text.value();
      Matcher m = pattern.matcher(t);
      Matcher c = companion.matcher(t);
      int n = t.length();
      while (m.find()) {
        c.region(Math.max(0, m.start() - window), Math.min(n, m.end() + window));
        if (c.find()) {
          hits.accept(new Hit(this, Math.min(m.start(), c.start()), Math.max(m.end(), c.end())));
        }
      }
    }
  }

  /** Runs every rule of {@code rules} over {@code text}. */
  static void findAll(List<Rule> rules, Text text, Consumer<Hit> hits) {
    for (Rule rule : rules) {
      rule.find(text, hits);
    }
  }
}
