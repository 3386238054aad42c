package io.mcpwarden.core.integrity;

import java.util.ArrayList;
import java.util.List;

/**
 * A line-based unified diff ({@code ---}/{@code +++} headers, {@code @@} hunks with context), as
 * {@code diff -u} prints it, so admins read definition changes in a familiar form.
 *
 * <p>Longest-common-subsequence over lines; definitions are short (the input is capped at
 * {@link #MAX_LINES} lines a side, beyond which the whole text is shown as replaced).
 */
public final class UnifiedDiff {
  static final int MAX_LINES = 4000;

  private UnifiedDiff() {}

  private record Line(char op, String text, int oldNo, int newNo) {}

  public static String of(String oldLabel, String oldText, String newLabel, String newText, int context) {
    List<String> a = lines(oldText);
    List<String> b = lines(newText);
    List<Line> script = script(a, b);
    StringBuilder out = new StringBuilder("--- ").append(oldLabel).append('\n').append("+++ ").append(newLabel).append('\n');
    if (script.stream().allMatch(l -> l.op() == ' ')) {
      return out.append("(no differences)\n").toString();
    }
    int i = 0;
    while (i < script.size()) {
      if (script.get(i).op() == ' ') {
        i++;
        continue;
      }
      int start = Math.max(0, i - context);
      int end = i;
      // extend while changes are within 2*context of each other
      int j = i;
      while (j < script.size()) {
        if (script.get(j).op() != ' ') {
          end = j;
          j++;
          continue;
        }
        int k = j;
        while (k < script.size() && script.get(k).op() == ' ') {
          k++;
        }
        if (k < script.size() && k - j <= 2 * context) {
          j = k;
        } else {
          break;
        }
      }
      int stop = Math.min(script.size(), end + context + 1);
      List<Line> hunk = script.subList(start, stop);
      int oldStart = 0;
      int newStart = 0;
      int oldCount = 0;
      int newCount = 0;
      for (Line l : hunk) {
        if (l.op() != '+') {
          if (oldCount++ == 0) {
            oldStart = l.oldNo();
          }
        }
        if (l.op() != '-') {
          if (newCount++ == 0) {
            newStart = l.newNo();
          }
        }
      }
      out.append("@@ -").append(oldCount == 0 ? hunk.get(0).oldNo() : oldStart).append(',').append(oldCount)
          .append(" +").append(newCount == 0 ? hunk.get(0).newNo() : newStart).append(',').append(newCount).append(" @@\n");
      for (Line l : hunk) {
        out.append(l.op()).append(l.text()).append('\n');
      }
      i = stop;
    }
    return out.toString();
  }

  private static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    return List.of(t.split("\n", -1));
  }

  private static List<Line> script(List<String> a, List<String> b) {
    List<Line> out = new ArrayList<>();
    if (a.size() > MAX_LINES || b.size() > MAX_LINES) {
      for (int i = 0; i < a.size(); i++) {
        out.add(new Line('-', a.get(i), i + 1, 0));
      }
      for (int j = 0; j < b.size(); j++) {
        out.add(new Line('+', b.get(j), a.size(), j + 1));
      }
      return out;
    }
    int[][] lcs = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
        out.add(new Line(' ', a.get(i), i + 1, j + 1));
        i++;
        j++;
      } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
        out.add(new Line('+', b.get(j), i, j + 1));
        j++;
      } else {
        out.add(new Line('-', a.get(i), i + 1, j));
        i++;
      }
    }
    return out;
  }
}
