package io.mcpwarden.core.detect.injection;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a folded text into sentence-sized segments: at line breaks, table cell bars and sentence
 * ends.
 *
 * <p>Why segments: an injection is usually one or two sentences planted inside otherwise honest
 * data. Scoring each sentence keeps the signal from being diluted by kilobytes of data around it,
 * and the offending sentence is the span a redaction removes.
 */
final class Segments {
  /** Longer runs without a boundary are cut at the next space after this many characters. */
  static final int SOFT_LIMIT = 400;

  private Segments() {}

  /** One segment: a half-open range of the folded text. */
  record Segment(int start, int end) {}

  static List<Segment> of(FoldedText folded) {
    String t = folded.text();
    String original = folded.original();
    int[] origin = folded.origin();
    int n = t.length();
    List<Segment> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < n; i++) {
      char c = t.charAt(i);
      boolean cut = false;
      int next = i + 1;
      if (c == '\n' || c == '|') {
        add(out, t, start, i);
        start = next;
        continue;
      }
      if (c == '.' || c == '!' || c == '?' || c == ';') {
        if (next >= n) {
          cut = true;
        } else {
          char d = t.charAt(next);
          cut =
              d == ' '
                  || (c != '.' || i - start > 3)
                      && Character.isLetter(d)
                      && Character.isUpperCase(original.charAt(origin[next]));
        }
      } else if (c == '。' || c == '！' || c == '？' || c == '；') {
        cut = true;
      } else if (c == ' ' && i - start > SOFT_LIMIT) {
        cut = true;
      }
      if (cut) {
        add(out, t, start, next);
        start = next;
      }
    }
    add(out, t, start, n);
    return out;
  }

  private static void add(List<Segment> out, String t, int start, int end) {
    while (start < end && t.charAt(start) == ' ') {
      start++;
    }
    while (end > start && t.charAt(end - 1) == ' ') {
      end--;
    }
    int letters = 0;
    for (int i = start; i < end && letters < 2; i++) {
      char c = t.charAt(i);
      if (c < 0x80 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') : Character.isLetter(c)) {
        letters++;
      }
    }
    if (letters >= 2) {
      out.add(new Segment(start, end));
    }
  }
}
