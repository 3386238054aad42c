package io.mcpwarden.core.detect.injection;

import java.text.Normalizer;
import java.util.Arrays;

/**
 * A text folded for matching (invisible characters dropped, Unicode tag characters decoded,
 * compatibility forms and mixed-script look-alikes mapped to Latin, whitespace collapsed, lower
 * case) with a map from every folded character back to the original text.
 *
 * <p>Why: attackers hide instructions behind zero-width and bidi characters, full-width or
 * mathematical letters and Cyrillic look-alikes; rules and the classifier see through that, while
 * spans still point at the original characters so a redaction removes exactly what was found.
 *
 * @param original the text as received
 * @param text the folded, lower-case text
 * @param origin for each character of {@code text}, the index of the original character it came
 *     from; {@code origin.length == text.length() + 1}, the last entry being {@code
 *     original.length()}
 * @param hiddenCharacters how many invisible or tag characters were removed or decoded
 */
record FoldedText(String original, String text, int[] origin, int hiddenCharacters) {

  /** Folds {@code original}. Linear in its length. */
  static FoldedText of(String original) {
    int n = original.length();
    StringBuilder out = new StringBuilder(n);
    int[] origin = new int[n + 1];
    int hidden = 0;
    boolean lastSpace = false;
    boolean ascii = true;
    int i = 0;
    while (i < n) {
      int cp = original.codePointAt(i);
      int width = Character.charCount(cp);
      if (cp < 0x80) {
        char c = (char) cp;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
          if (!lastSpace) {
            origin = put(out, origin, ' ', i);
            lastSpace = true;
          }
        } else {
          origin = put(out, origin, c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c, i);
          lastSpace = false;
        }
      } else if (invisible(cp)) {
        hidden++;
      } else if (cp >= 0xE0020 && cp <= 0xE007E) {
        // Unicode tag characters mirror ASCII and are invisible: "ASCII smuggling". Decode them.
        hidden++;
        origin = put(out, origin, Character.toLowerCase((char) (cp - 0xE0000)), i);
        lastSpace = false;
      } else if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        if (cp == 0x2028 || cp == 0x2029 || cp == 0x85) {
          origin = put(out, origin, '\n', i);
          lastSpace = false;
        } else if (!lastSpace) {
          origin = put(out, origin, ' ', i);
          lastSpace = true;
        }
      } else {
        String folded = Normalizer.normalize(original.substring(i, i + width), Normalizer.Form.NFKC);
        for (int k = 0; k < folded.length(); ) {
          int f = folded.codePointAt(k);
          int lower = Character.toLowerCase(f);
          if (Character.isBmpCodePoint(lower)) {
            origin = put(out, origin, (char) lower, i);
          } else {
            origin = put(out, origin, Character.highSurrogate(lower), i);
            origin = put(out, origin, Character.lowSurrogate(lower), i);
          }
          k += Character.charCount(f);
        }
        lastSpace = false;
      }
      ascii &= cp < 0x80;
      i += width;
    }
    if (!ascii) {
      // look-alikes are non-ASCII letters: plain ASCII has none to fold
      MixedScriptWords.fold(out);
    }
    int[] exact = Arrays.copyOf(origin, out.length() + 1);
    exact[out.length()] = n;
    return new FoldedText(original, out.toString(), exact, hidden);
  }

  /** The original index range [start, end) of folded range [from, to). */
  int originalStart(int from) {
    return origin[from];
  }

  int originalEnd(int to) {
    if (to <= 0) {
      return 0;
    }
    // the end of the original code point behind the last folded character
    int last = origin[to - 1];
    return Math.min(original.length(), last + Character.charCount(original.codePointAt(last)));
  }

  private static int[] put(StringBuilder out, int[] origin, char c, int from) {
    int at = out.length();
    if (at + 1 >= origin.length) {
      origin = Arrays.copyOf(origin, origin.length * 2 + 2);
    }
    origin[at] = from;
    out.append(c);
    return origin;
  }

  /** Characters that render as nothing: zero-width, joiners, bidi controls, soft hyphen, BOM. */
  static boolean invisible(int cp) {
    return (cp >= 0x200B && cp <= 0x200F)
        || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x2060 && cp <= 0x2064)
        || (cp >= 0x2066 && cp <= 0x2069)
        || cp == 0xFEFF
        || cp == 0x00AD
        || cp == 0x180E
        || cp == 0x034F
        || (cp >= 0xFE00 && cp <= 0xFE0F)
        || cp == 0xE0001
        || cp == 0xE007F
        || (cp >= 0xE0100 && cp <= 0xE01EF);
  }
}
