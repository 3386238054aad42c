package io.mcpwarden.core.detect.injection;

import java.util.Arrays;
import java.util.Set;

/**
 * Turns one segment of folded text into a sparse, hashed feature vector: word unigrams and
 * bigrams, character 3- to 5-grams, and a few shape features (first word, question mark, second
 * person).
 *
 * <p>Why this mix: words carry the phrasing of instructions ("in your reply", "ignore"), character
 * n-grams survive misspellings, inflections and other languages, and hashing keeps the model a
 * fixed, small array with no vocabulary to ship. Values are scaled by 1/sqrt(n) so long segments do
 * not outweigh short ones.
 */
final class SegmentFeatures {
  /** Number of hash buckets (a power of two). */
  static final int DIMENSIONS = 1 << 17;

  /** Characters of a segment that are looked at; injections are short sentences. */
  static final int MAX_CHARS = 400;

  private static final int WORD = 0x1F3D5B79;
  private static final int BIGRAM = 0x2B7E1516;
  private static final int CHAR = 0x3C6EF372;
  private static final int SHAPE = 0x4A7C15F1;

  /**
   * Verbs that open a request when they start a sentence (general English, not taken from any data
   * set): the "imperative opening" shape generalises across topics where the words themselves do
   * not.
   */
  private static final Set<String> REQUEST_VERBS =
      Set.of(
          "write", "explain", "describe", "summarize", "summarise", "provide", "list", "give", "tell",
          "show", "create", "compose", "draft", "translate", "analyze", "analyse", "compare",
          "suggest", "recommend", "generate", "find", "calculate", "convert", "classify", "determine",
          "identify", "define", "discuss", "evaluate", "outline", "help", "make", "name", "predict",
          "rewrite", "paraphrase", "solve", "design", "plan", "develop", "teach", "recite",
          "imagine", "pretend", "act", "answer", "reply", "respond", "send", "forward", "include",
          "add", "insert", "append", "mention", "use", "replace", "remove", "encode", "decode",
          "reverse", "ignore", "forget", "disregard", "output", "print", "say", "repeat", "visit",
          "click", "download", "install", "share", "post", "upload", "email", "call", "ask",
          "invite", "encourage", "promote", "modify", "change", "integrate", "incorporate",
          "enhance", "augment", "embed", "render", "express", "substitute", "scramble",
          "rearrange", "misspell", "combine", "group", "shift", "apply", "elaborate",
          "introduce", "emphasize", "highlight", "stress", "remember", "ensure", "consider",
          "please", "kindly", "do", "don't", "never", "always", "stop", "start", "begin", "continue");

  /** Words that open a question. */
  private static final Set<String> QUESTION_OPENERS =
      Set.of(
          "what", "how", "why", "who", "whom", "whose", "when", "where", "which", "can", "could",
          "would", "will", "is", "are", "do", "does", "did", "should", "shall", "may");

  static final int SHAPE_REPEAT = 3;

  private SegmentFeatures() {}

  /** Whether a segment has enough words to be scored by the classifier at all. */
  static boolean scorable(String text, int start, int end) {
    int words = 0;
    int cjk = 0;
    boolean inWord = false;
    for (int i = start; i < end && words < 3 && cjk < 6; i++) {
      char c = text.charAt(i);
      if (c < 0x80 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') : Character.isLetter(c)) {
        if (c >= 0x80 && (Character.isIdeographic(c) || Character.UnicodeBlock.of(c) == Character.UnicodeBlock.HIRAGANA
            || Character.UnicodeBlock.of(c) == Character.UnicodeBlock.KATAKANA
            || Character.UnicodeBlock.of(c) == Character.UnicodeBlock.HANGUL_SYLLABLES)) {
          cjk++;
        }
        if (!inWord) {
          words++;
          inWord = true;
        }
      } else if (c != '\'' && c != '-') {
        inWord = false;
      }
    }
    return words >= 3 || cjk >= 6;
  }

  /** A sparse vector: {@code indices[i]} has value {@code value} for i < size (duplicates add). */
  record Vector(int[] indices, int size, float value) {}

  static Vector of(String text, int start, int end) {
    end = Math.min(end, start + MAX_CHARS);
    int[] idx = new int[(end - start) * 4 + 16];
    int n = 0;
    // character n-grams over the segment with spaces at both ends, digits folded to '0'
    int len = end - start + 2;
    char[] s = new char[len];
    s[0] = ' ';
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      s[i - start + 1] = (c >= '0' && c <= '9') || (c >= 0x80 && Character.isDigit(c)) ? '0' : c;
    }
    s[len - 1] = ' ';
    for (int i = 0; i < len; i++) {
      int h = CHAR;
      for (int k = 0; k < 5 && i + k < len; k++) {
        h = (h ^ s[i + k]) * 0x01000193;
        if (k >= 2) {
          idx[n++] = bucket(h + k);
        }
      }
    }
    // words and bigrams
    int previous = 0;
    boolean first = true;
    boolean second = false;
    boolean questionOpener = false;
    boolean userVoice = false;
    int i = 1;
    while (i < len - 1) {
      if (!letterOrDigit(s[i])) {
        i++;
        continue;
      }
      int h = WORD;
      int w0 = i;
      while (i < len - 1 && (letterOrDigit(s[i]) || s[i] == '\'')) {
        h = (h ^ s[i]) * 0x01000193;
        i++;
      }
      idx[n++] = bucket(h);
      if (first) {
        idx[n++] = bucket(h * 31 + SHAPE);
        String word = new String(s, w0, i - w0);
        if (REQUEST_VERBS.contains(word)) {
          n = shape(idx, n, 3);
        }
        if (QUESTION_OPENERS.contains(word)) {
          n = shape(idx, n, 4);
          questionOpener = true;
        }
        first = false;
      }
      if (i - w0 <= 2 && isUserVoice(s, w0, i - w0)) {
        userVoice = true;
      }
      if (!second && i - w0 >= 3 && s[w0] == 'y' && s[w0 + 1] == 'o' && s[w0 + 2] == 'u'
          && (i - w0 == 3 || (i - w0 == 4 && s[w0 + 3] == 'r'))) {
        n = shape(idx, n, 7);
        second = true;
      }
      if (previous != 0) {
        idx[n++] = bucket((previous * 0x01000193) ^ h ^ BIGRAM);
      }
      previous = h;
      if (n > idx.length - 24) {
        idx = Arrays.copyOf(idx, idx.length * 2);
      }
    }
    int last = len - 2;
    while (last > 0 && s[last] == ' ') {
      last--;
    }
    if (s[last] == '?' || s[last] == '？') {
      n = shape(idx, n, 1);
      if (questionOpener) {
        n = shape(idx, n, 5);
      }
    }
    if (userVoice) {
      n = shape(idx, n, 6);
    }
    idx[n++] = bucket(SHAPE + 2); // bias-like feature per segment
    return new Vector(idx, n, (float) (1.0 / Math.sqrt(n)));
  }

  /**
   * Adds shape feature {@code code} {@link #SHAPE_REPEAT} times: shapes generalise across topics,
   * so they get more weight in the vector than any single n-gram.
   */
  private static int shape(int[] idx, int n, int code) {
    int b = bucket(SHAPE + code);
    for (int k = 0; k < SHAPE_REPEAT; k++) {
      idx[n++] = b;
    }
    return n;
  }

  /** "i", "me", "my": a request written in the user's voice ("help me", "how can i"). */
  private static boolean isUserVoice(char[] s, int at, int len) {
    return (len == 1 && s[at] == 'i')
        || (len == 2 && s[at] == 'm' && (s[at + 1] == 'e' || s[at + 1] == 'y'));
  }

  private static boolean letterOrDigit(char c) {
    return c < 0x80
        ? (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')
        : Character.isLetterOrDigit(c);
  }

  private static int bucket(int h) {
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    return h & (DIMENSIONS - 1);
  }
}
