package io.mcpwarden.bench;

/**
 * English-like prose of an exact length (words and sentences from a small garden-report
 * vocabulary), so content guards and detectors scan text shaped like a real tool result rather
 * than a letter run.
 *
 * <p>One generator for the load benchmark ({@code LoadBench --prose true}) and the JMH content
 * benchmarks, so the micro figures are measured on the very text the load rows echo.
 */
public final class ProseText {
  private static final String[] WORDS = {"the", "garden", "report", "shows", "that", "tulips", "need", "well-drained",
      "soil", "and", "a", "sunny", "spot", "while", "roses", "prefer", "morning", "light", "water", "every", "second",
      "day", "during", "summer", "months", "according", "to", "our", "notes", "from", "last", "season"};

  private ProseText() {}

  /** {@code tag + ": "} followed by prose, cut to exactly {@code length} characters (ASCII, so bytes). */
  public static String of(int length, String tag) {
    StringBuilder m = new StringBuilder(tag).append(": ");
    int i = tag.length();
    while (m.length() < length) {
      m.append(WORDS[(i * 7 + 3) % WORDS.length]);
      i++;
      m.append(i % 13 == 0 ? ". " : " ");
    }
    return m.substring(0, length);
  }
}
