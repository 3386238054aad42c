package io.mcpwarden.core.detect.injection;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.detect.injection.Rule.Hit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compiled rule table finds exactly what a plain search of each rule finds on texts its
 * triggers let through: attempting matches only at start literals loses nothing.
 */
class RuleSetTest {
  private static final List<Rule> RULES = all();
  private static final RuleSet SET = new RuleSet(RULES);

  private static List<Rule> all() {
    List<Rule> rules = new ArrayList<>(InjectionRules.LANGUAGE);
    rules.addAll(InjectionRules.CODE);
    return rules;
  }

  static List<String> texts() {
    return IndirectInjectionDetectorTest.twins().stream()
        .flatMap(a -> java.util.stream.Stream.of(a.get()[1], a.get()[2]))
        .map(o -> FoldedText.of((String) o).text())
        .toList();
  }

  @ParameterizedTest
  @MethodSource("texts")
  void findsWhatAFullSearchFinds(String text) {
    List<String> found = new ArrayList<>();
    SET.findAll(text, h -> found.add(describe(h)));
    List<String> expected = new ArrayList<>();
    for (Rule r : RULES) {
      if (!triggered(r, text)) {
        continue;
      }
      switch (r) {
        case Rule.Phrase p -> {
          Matcher m = p.pattern().matcher(text);
          while (m.find()) {
            expected.add(describe(new Hit(p, m.start(), m.end())));
          }
        }
        case Rule.Near n -> {
          Matcher m = n.pattern().matcher(text);
          Matcher c = n.companion().matcher(text);
          while (m.find()) {
            c.region(Math.max(0, m.start() - n.window()), Math.min(text.length(), m.end() + n.window()));
            if (c.find()) {
              expected.add(describe(new Hit(n, Math.min(m.start(), c.start()), Math.max(m.end(), c.end()))));
            }
          }
        }
      }
    }
    assertThat(found).containsExactlyElementsOf(expected);
  }

  @Test
  void startLiteralsComeFromThePattern() {
    assertThat(StartLiterals.of("\\b(?:ignore|skip)\\b[^.]{0,9}rules")).containsExactly("ignore", "skip");
    assertThat(StartLiterals.of("(?<!not )\\bsend (?:the )?keys")).containsExactlyInAnyOrder("send the keys", "send keys");
    assertThat(StartLiterals.of("\\bforget (?:the )?keys")).containsExactly("forget ");
    assertThat(StartLiterals.of("\\be-?mail\\b")).containsExactlyInAnyOrder("email", "e-mail");
    assertThat(StartLiterals.of("\\b(?:in|into) your\\b")).containsExactly("in your", "into your");
    assertThat(StartLiterals.of("ab|c\\.d+e")).containsExactly("ab", "c.d");
    assertThat(StartLiterals.of("(?:ab)+c")).containsExactly("ab");
    assertThat(StartLiterals.of("(?m)^system:")).isNull();
    assertThat(StartLiterals.of("[a-z]+@")).isNull();
    assertThat(StartLiterals.of("x?y")).containsExactlyInAnyOrder("y", "xy");
  }

  private static boolean triggered(Rule r, String text) {
    Rule.Triggers t = r.triggers();
    if (t.always()) {
      return true;
    }
    for (String s : t.substrings()) {
      if (text.contains(s)) {
        return true;
      }
    }
    for (String s : t.nonAscii()) {
      if (text.contains(s)) {
        return true;
      }
    }
    for (String w : t.words()) {
      if (java.util.regex.Pattern.compile("(?<![a-z0-9])" + java.util.regex.Pattern.quote(w) + "(?![a-z0-9])").matcher(text).find()) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Hit h) {
    return h.rule().name() + "@" + h.start() + "-" + h.end();
  }
}
