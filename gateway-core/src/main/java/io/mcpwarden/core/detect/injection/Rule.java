package io.mcpwarden.core.detect.injection;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One hand-written rule for a known shape of indirect prompt injection, matched against folded
 * text.
 *
 * <p>Why a sealed pair of shapes: most shapes are one phrase ({@link Phrase}); code that steals data
 * is two things near each other (a sensitive source and a network sink, {@link Near}), and either
 * alone is ordinary code. Every rule names trigger strings that any match must contain, so the
 * regular expression only runs on texts that can match at all: that keeps 40-odd rules over a 4 KB
 * result cheap; {@link RuleSet} runs a table of rules.
 */
sealed interface Rule {
  /** Longer than any match of a {@link Phrase} (all repetitions in the rules are bounded). */
  int WINDOW = 400;

  /** Short stable name, used in reasons and audit records. */
  String name();

  /** How strongly one hit suggests an injection, in (0, 1). */
  double weight();

  /** Strings one of which every match contains (or, for {@link Near}, every companion match). */
  Triggers triggers();

  /** A rule hit in folded-text coordinates. */
  record Hit(Rule rule, int start, int end) {}

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
  }
}
