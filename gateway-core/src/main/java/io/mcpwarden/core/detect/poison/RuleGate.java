package io.mcpwarden.core.detect.poison;

import io.mcpwarden.core.detect.text.RegexGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Literal prefixes one of which every match of a pattern must contain, derived from the pattern
 * itself; a text holding none of them cannot match, so the regex is not run.
 *
 * <p>Literals are matched against the text with whitespace runs collapsed ({@link #flatten}), so
 * a {@code \\s+} inside a literal becomes one space. Regexes that start with an alternation of words cost a little at every text position; a few
 * {@code String.contains} calls are much cheaper, and most rules never match most tools. Derived
 * rather than written by hand so the gate cannot drift from the pattern: when a pattern's shape
 * is not understood, there is no gate and the regex always runs.
 */
final class RuleGate {
  private RuleGate() {}

  /** The literals, or empty when the pattern is not of a shape this understands. */
  static Optional<List<String>> of(String regex) {
    List<String> out = new ArrayList<>();
    for (String alt : RegexGroups.split(regex)) {
      List<String> prefixes = prefixes(alt, 0, "");
      if (prefixes == null) {
        return Optional.empty();
      }
      for (String p : prefixes) {
        // Short words are everywhere; a short non-word literal (<, [, @) or any non-ASCII one is not.
        boolean rare = p.chars().anyMatch(c -> c >= 128 || !(Character.isLetterOrDigit(c) || c == ' '));
        if (p.isBlank() || p.length() < (rare ? 1 : 3)) {
          return Optional.empty();
        }
        out.add(p);
      }
    }
    return Optional.of(List.copyOf(out));
  }

  /**
   * The text gates are checked against and rules run on: whitespace runs collapsed to one space,
   * or to one newline when the run holds a line break (so line-based patterns still work).
   */
  static String flatten(String text) {
    StringBuilder b = new StringBuilder(text.length());
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (isSpace(c)) {
        boolean newline = false;
        while (i < n && isSpace(text.charAt(i))) {
          newline |= text.charAt(i) == '\n';
          i++;
        }
        b.append(newline ? '\n' : ' ');
      } else {
        b.append(c);
        i++;
      }
    }
    return b.toString();
  }

  /** What {@code \\s} matches. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  /**
   * Whether every match of {@code regex} starts exactly where one of its gate literals does: true
   * unless an alternative may begin before its literal (line anchors, leading whitespace).
   */
  static boolean anchorable(String regex) {
    for (String alt : RegexGroups.split(regex)) {
      if (alt.startsWith("(?m)") || alt.startsWith("^") || alt.startsWith("\\s*")) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code flatText} (see {@link #flatten}) holds any of the literals. */
  static boolean admits(List<String> literals, String flatText) {
    String text = flatText.indexOf('\n') >= 0 ? flatText.replace('\n', ' ') : flatText;
    for (String l : literals) {
      if (text.contains(l)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Literal prefixes of {@code re} from position {@code i}, each starting with {@code acc}; null
   * when a branch has no usable literal.
   */
  private static List<String> prefixes(String re, int i, String acc) {
    StringBuilder lit = new StringBuilder(acc);
    while (i < re.length()) {
      char c = re.charAt(i);
      if (lit.isEmpty() && re.startsWith("\\b", i)) {
        i += 2;
      } else if (lit.isEmpty() && re.startsWith("(?m)", i)) {
        i += 4;
      } else if (lit.isEmpty() && c == '^') {
        i++;
      } else if (lit.isEmpty() && re.startsWith("\\s*", i)) {
        i += 3;
      } else if (lit.isEmpty() && (re.startsWith("(?<!", i) || re.startsWith("(?<=", i) || re.startsWith("(?!", i) || re.startsWith("(?=", i))) {
        i = RegexGroups.close(re, i) + 1;
      } else if (!lit.isEmpty() && re.startsWith("\\s+", i)) {
        // Gates are checked against the text with whitespace runs collapsed to one space.
        lit.append(' ');
        i += 3;
      } else if (c == '\\' && i + 1 < re.length() && ".$/-'\"`%#&*+?()[]{}|<>:@_".indexOf(re.charAt(i + 1)) >= 0) {
        if (optionalNext(re, i + 2)) {
          return finish(lit);
        }
        lit.append(re.charAt(i + 1));
        i += 2;
      } else if (re.startsWith("(?:", i)) {
        int end = RegexGroups.close(re, i);
        if (optionalNext(re, end + 1)) {
          return finish(lit);
        }
        List<String> result = new ArrayList<>();
        for (String branch : RegexGroups.split(re.substring(i + 3, end))) {
          // Only the group's own literals: what follows the group is not needed for a gate.
          List<String> sub = prefixes(branch, 0, lit.toString());
          if (sub == null) {
            return null;
          }
          result.addAll(sub);
        }
        return result;
      } else if ("\\[](){}.*+?^$|".indexOf(c) >= 0) {
        return finish(lit);
      } else {
        if (optionalNext(re, i + 1)) {
          return finish(lit);
        }
        lit.append(c);
        i++;
      }
    }
    return finish(lit);
  }

  private static List<String> finish(StringBuilder lit) {
    return lit.isEmpty() ? null : List.of(lit.toString());
  }

  /** A quantifier at {@code i} that allows zero repetitions. */
  private static boolean optionalNext(String re, int i) {
    return i < re.length() && (re.charAt(i) == '?' || re.charAt(i) == '*' || re.startsWith("{0", i));
  }
}
