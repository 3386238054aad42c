package io.mcpwarden.core.detect.text;

import java.util.Arrays;
import java.util.Locale;

/**
 * Turns a text into a sparse vector of hashed word n-grams and character n-grams.
 *
 * <p>Hashing needs no vocabulary file and handles any language; character n-grams catch
 * inflected and non-English words and spellings no word list anticipated. Values are sublinear
 * term counts with a random sign per feature (so collisions cancel rather than add), L2
 * normalised. Thread-safe.
 */
public final class HashedFeaturizer {
  /** Only this many characters are featurised: bounded cost per item. */
  public static final int MAX_CHARS = 20_000;

  private static final int WORD_SEED = 0x2F0B3A49;
  private static final int CHAR_SEED = 0x6C8E9CF5;

  private final FeatureSpec spec;
  private final int mask;

  public HashedFeaturizer(FeatureSpec spec) {
    this.spec = spec;
    this.mask = spec.dimensions() - 1;
  }

  public FeatureSpec spec() {
    return spec;
  }

  /** Features of {@code text} (normalise it first; lower-casing is done here). */
  public SparseVector featurize(String text) {
    String t = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
    String lower = t.toLowerCase(Locale.ROOT);
    Codes codes = new Codes(lower.length() * (1 + spec.maxCharNgram() - spec.minCharNgram()) + 64);
    if (spec.maxWordNgram() > 0) {
      words(lower, codes);
    }
    if (spec.minCharNgram() > 0) {
      chars(lower, codes);
    }
    return codes.toVector();
  }

  /** Word n-grams; words are runs of letters and digits (underscores split snake_case names). */
  private void words(String s, Codes codes) {
    int[] prev = new int[spec.maxWordNgram()];
    int seen = 0;
    int i = 0;
    int n = s.length();
    while (i < n) {
      while (i < n && !Character.isLetterOrDigit(s.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int h = WORD_SEED;
      while (i < n && Character.isLetterOrDigit(s.charAt(i))) {
        h = (h ^ s.charAt(i)) * 0x01000193;
        i++;
      }
      // Shift the window of recent word hashes and emit every n-gram ending here.
      System.arraycopy(prev, 0, prev, 1, prev.length - 1);
      prev[0] = h;
      seen++;
      int g = 0;
      for (int k = 0; k < Math.min(seen, prev.length); k++) {
        g = g * 0x5bd1e995 + prev[k] + k;
        codes.add(mix(g + k * 0x9E3779B9));
      }
    }
  }

  /** Character n-grams over the text with runs of whitespace collapsed to one space. */
  private void chars(String s, Codes codes) {
    StringBuilder b = new StringBuilder(s.length() + 2).append(' ');
    boolean space = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        if (!space) {
          b.append(' ');
          space = true;
        }
      } else {
        b.append(c);
        space = false;
      }
    }
    if (!space) {
      b.append(' ');
    }
    int n = b.length();
    for (int i = 0; i < n; i++) {
      int h = CHAR_SEED;
      for (int len = 1; len <= spec.maxCharNgram() && i + len <= n; len++) {
        h = (h ^ b.charAt(i + len - 1)) * 0x01000193;
        if (len >= spec.minCharNgram()) {
          codes.add(mix(h + len));
        }
      }
    }
  }

  /** MurmurHash3's finaliser: spreads the bits of an FNV-style running hash. */
  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  /** Growable list of hashed feature codes, turned into a vector by sorting and merging. */
  private final class Codes {
    private int[] items;
    private int size;

    Codes(int capacity) {
      items = new int[Math.max(16, capacity)];
    }

    void add(int hash) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      // Low bits pick the index, the top bit the sign; packed so sorting groups an index.
      items[size++] = ((hash & mask) << 1) | (hash >>> 31);
    }

    SparseVector toVector() {
      Arrays.sort(items, 0, size);
      int[] idx = new int[size];
      float[] val = new float[size];
      int out = 0;
      int i = 0;
      double norm = 0;
      while (i < size) {
        int index = items[i] >>> 1;
        int sum = 0;
        while (i < size && (items[i] >>> 1) == index) {
          sum += (items[i] & 1) == 0 ? 1 : -1;
          i++;
        }
        if (sum != 0) {
          float v = (float) (Math.signum(sum) * (1 + Math.log(Math.abs(sum))));
          idx[out] = index;
          val[out] = v;
          norm += v * v;
          out++;
        }
      }
      float inv = norm == 0 ? 0f : (float) (1 / Math.sqrt(norm));
      for (int k = 0; k < out; k++) {
        val[k] *= inv;
      }
      return new SparseVector(Arrays.copyOf(idx, out), Arrays.copyOf(val, out));
    }
  }
}
