package io.mcpwarden.core.detect.secret;

/**
 * Shannon entropy of a string in bits per character.
 *
 * <p>Generated credentials are close to uniformly random over their alphabet (about 4 bits per
 * character for hex, 5 to 6 for base64), while words, identifiers and placeholders are not; the
 * secret rules use it as one signal among several, never alone.
 */
public final class Entropy {
  private Entropy() {}

  /** Bits per character of {@code s} (0 for the empty string). */
  public static double shannon(CharSequence s) {
    int n = s.length();
    if (n == 0) {
      return 0.0;
    }
    int[] ascii = new int[128];
    java.util.Map<Character, Integer> other = null;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 128) {
        ascii[c]++;
      } else {
        if (other == null) {
          other = new java.util.HashMap<>();
        }
        other.merge(c, 1, Integer::sum);
      }
    }
    double h = 0.0;
    for (int count : ascii) {
      h += term(count, n);
    }
    if (other != null) {
      for (int count : other.values()) {
        h += term(count, n);
      }
    }
    return h;
  }

  private static double term(int count, int n) {
    if (count == 0) {
      return 0.0;
    }
    double p = (double) count / n;
    return -p * (Math.log(p) / Math.log(2));
  }
}
