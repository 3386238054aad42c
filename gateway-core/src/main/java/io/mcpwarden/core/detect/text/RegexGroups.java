package io.mcpwarden.core.detect.text;

import java.util.ArrayList;
import java.util.List;

/**
 * The group structure of a regular expression's source: where a group closes and what its
 * top-level alternatives are, with escapes and character classes skipped.
 *
 * <p>Why: the detectors derive literal gates from their own rules' patterns (the words a match must
 * contain or start with) so a rule is tried only where it can match; both the poisoning and the
 * injection detector walk pattern sources that way, and this is the one reading of them.
 */
public final class RegexGroups {
  private RegexGroups() {}

  /** Index of the parenthesis closing the group opened at {@code open}. */
  public static int close(String re, int open) {
    int depth = 0;
    boolean inClass = false;
    for (int i = open; i < re.length(); i++) {
      char c = re.charAt(i);
      if (c == '\\') {
        i++;
      } else if (inClass) {
        inClass = c != ']';
      } else if (c == '[') {
        inClass = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unbalanced group in " + re);
  }

  /** Top-level alternatives of {@code re}. */
  public static List<String> split(String re) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    boolean inClass = false;
    int start = 0;
    for (int i = 0; i < re.length(); i++) {
      char c = re.charAt(i);
      if (c == '\\') {
        i++;
      } else if (inClass) {
        inClass = c != ']';
      } else if (c == '[') {
        inClass = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '|' && depth == 0) {
        parts.add(re.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(re.substring(start));
    return parts;
  }
}
