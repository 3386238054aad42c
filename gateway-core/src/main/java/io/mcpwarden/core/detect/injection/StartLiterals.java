package io.mcpwarden.core.detect.injection;

import io.mcpwarden.core.detect.text.RegexGroups;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The literal strings every match of a regular expression starts with, derived from the pattern:
 * {@code \b(?:ignore|disregard)\b[^.]{0,40}instructions} starts with "ignore" or "disregard".
 *
 * <p>Why: a rule then only needs a match attempt ({@code lookingAt}) where one of its start
 * literals occurs, found for all rules at once by a {@link io.mcpwarden.core.detect.text.LiteralIndex}
 * scan, instead of a search that tries the whole alternation at every character of a 4 KB result.
 * Derived rather than written by hand so the literals cannot drift from the pattern. A match
 * always begins exactly at one of the literals (leading {@code \b} and look-arounds are
 * zero-width and are checked by the match attempt itself). When the pattern's shape is not
 * understood (line anchors, inline flags, a leading character class), there are no start
 * literals and the caller searches as before.
 */
final class StartLiterals {
  /** More alternatives than this are not worth an index: the caller searches instead. */
  private static final int MAX_LITERALS = 256;

  /** A literal this long is rare enough: groups after it are not expanded. */
  private static final int SELECTIVE = 6;

  private StartLiterals() {}

  /** A continuation: pattern text still to match after the current one, or null for "stop". */
  private record Cont(String re, Cont next) {}

  /** The start literals of {@code regex}, or null when they cannot be derived. */
  static List<String> of(String regex) {
    Set<String> out = new LinkedHashSet<>();
    for (String alternative : RegexGroups.split(regex)) {
      if (!prefixes(alternative, 0, "", null, out)) {
        return null;
      }
    }
    if (out.isEmpty() || out.contains("")) {
      return null;
    }
    return out.size() > MAX_LITERALS ? null : List.copyOf(out);
  }

  /**
   * Adds to {@code out} the literal prefixes of {@code re} from {@code i} (then {@code cont}),
   * each starting with {@code acc}; false when a branch starts with something that is not literal.
   */
  private static boolean prefixes(String re, int i, String acc, Cont cont, Set<String> out) {
    if (out.size() > MAX_LITERALS) {
      return false;
    }
    StringBuilder lit = new StringBuilder(acc);
    while (true) {
      if (i >= re.length()) {
        if (cont == null) {
          return stop(lit, out);
        }
        return prefixes(cont.re(), 0, lit.toString(), cont.next(), out);
      }
      char c = re.charAt(i);
      if (c == '|') {
        return stop(lit, out); // alternatives are split before they get here
      }
      if (re.startsWith("\\b", i)) {
        i += 2;
      } else if (re.startsWith("(?<!", i) || re.startsWith("(?<=", i) || re.startsWith("(?=", i) || re.startsWith("(?!", i)) {
        if (!lit.isEmpty()) {
          return stop(lit, out);
        }
        i = RegexGroups.close(re, i) + 1;
      } else if (c == '\\' && i + 1 < re.length()) {
        char e = re.charAt(i + 1);
        char literal;
        if (e == 'n') {
          literal = '\n';
        } else if (!Character.isLetterOrDigit(e)) {
          literal = e;
        } else {
          return stop(lit, out);
        }
        int q = quantifierKind(re, i + 2);
        if (q == OPTIONAL) {
          return stop(lit, out);
        }
        lit.append(literal);
        if (q == REPEATED) {
          return stop(lit, out);
        }
        i += 2;
      } else if (c == '(' && lit.length() >= SELECTIVE) {
        return stop(lit, out); // long enough to be rare: expanding the group only adds literals
      } else if (c == '(') {
        if (re.startsWith("(?", i) && !re.startsWith("(?:", i)) {
          return lit.isEmpty() ? false : stop(lit, out); // inline flags, named groups: not understood
        }
        int end = RegexGroups.close(re, i);
        String body = re.substring(re.startsWith("(?:", i) ? i + 3 : i + 1, end);
        int after = end + 1;
        int q = quantifierKind(re, after);
        String rest = re.substring(skipQuantifier(re, after));
        Cont restCont = new Cont(rest, cont);
        String acc2 = lit.toString();
        for (String branch : RegexGroups.split(body)) {
          // a repeated group may run again after the branch: stop there
          if (!prefixes(branch, 0, acc2, q == REPEATED || q == OPTIONAL_REPEATED ? null : restCont, out)) {
            return false;
          }
        }
        if (q == OPTIONAL || q == OPTIONAL_REPEATED) {
          return prefixes(rest, 0, acc2, cont, out);
        }
        return true;
      } else if ("[].*+?^${}".indexOf(c) >= 0) {
        return stop(lit, out);
      } else {
        int q = quantifierKind(re, i + 1);
        if (q == OPTIONAL && lit.length() < SELECTIVE) {
          // "e-?mail": both spellings, so a short prefix does not become the literal
          int next = skipQuantifier(re, i + 1);
          String without = lit.toString();
          return prefixes(re, next, without, cont, out)
              && prefixes(re.substring(next), 0, without + c, cont, out);
        }
        if (q == OPTIONAL || q == OPTIONAL_REPEATED) {
          return stop(lit, out);
        }
        lit.append(c);
        if (q == REPEATED) {
          return stop(lit, out);
        }
        i++;
      }
    }
  }

  private static final int NONE = 0;
  private static final int OPTIONAL = 1;
  private static final int REPEATED = 2;
  private static final int OPTIONAL_REPEATED = 3;

  /** What the quantifier at {@code i} allows: nothing there, zero-or-one, one-or-more, zero-or-more. */
  private static int quantifierKind(String re, int i) {
    if (i >= re.length()) {
      return NONE;
    }
    char c = re.charAt(i);
    if (c == '?') {
      return OPTIONAL;
    }
    if (c == '*') {
      return OPTIONAL_REPEATED;
    }
    if (c == '+') {
      return REPEATED;
    }
    if (c == '{') {
      int close = re.indexOf('}', i);
      String[] parts = re.substring(i + 1, close).split(",", -1);
      boolean zero = parts[0].strip().equals("0");
      boolean once = parts.length == 1 ? parts[0].strip().equals("1") : parts[1].strip().equals("1");
      if (zero) {
        return once ? OPTIONAL : OPTIONAL_REPEATED;
      }
      return once ? NONE : REPEATED;
    }
    return NONE;
  }

  private static int skipQuantifier(String re, int i) {
    if (i >= re.length()) {
      return i;
    }
    char c = re.charAt(i);
    if (c == '?' || c == '*' || c == '+') {
      i++;
    } else if (c == '{') {
      i = re.indexOf('}', i) + 1;
    } else {
      return i;
    }
    if (i < re.length() && (re.charAt(i) == '?' || re.charAt(i) == '+')) {
      i++; // lazy or possessive
    }
    return i;
  }

  private static boolean stop(StringBuilder lit, Set<String> out) {
    if (lit.isEmpty()) {
      return false;
    }
    out.add(lit.toString());
    return true;
  }
}
