package io.mcpwarden.core.detect.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns untrusted text into what a model would understand of it, and records every trick found
 * on the way.
 *
 * <p>Rules and classifiers match words; attackers hide words with invisible characters, bidi
 * controls, look-alike letters, comments and encodings. Normalising once, before every detector,
 * means no detector can be bypassed by a trick another one already handles. Stateless and
 * thread-safe; cost is linear in the input, which is capped at {@link #MAX_CHARS}.
 */
public final class TextNormaliser {
  /** Inputs longer than this are cut: detectors judge the first part only (bounded cost). */
  public static final int MAX_CHARS = 100_000;

  /** Payloads decoded from payloads are decoded again this many times at most. */
  private static final int MAX_DEPTH = 2;

  private static final Pattern HTML_COMMENT = Pattern.compile("<!--(.*?)(?:-->|\\z)", Pattern.DOTALL);
  private static final Pattern MARKDOWN_COMMENT =
      Pattern.compile("(?m)^[ \\t]*\\[[^\\]\\n]*\\]:[ \\t]*(?:#|<>)[ \\t]*(?:\\((.*)\\)|\"(.*)\"|'(.*)')[ \\t]*$");
  private static final Pattern ENTITY =
      Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[a-zA-Z]{2,8});");
  private static final Map<String, String> NAMED_ENTITIES =
      Map.of("lt", "<", "gt", ">", "amp", "&", "quot", "\"", "apos", "'", "nbsp", " ", "sol", "/",
          "colon", ":", "excl", "!", "num", "#");

  private TextNormaliser() {}

  /** Normalises {@code raw}; never throws for any input. */
  public static NormalisedText normalise(String raw) {
    return normalise(raw, 0);
  }

  private static NormalisedText normalise(String raw, int depth) {
    Set<TextSignal> signals = EnumSet.noneOf(TextSignal.class);
    List<String> decoded = new ArrayList<>();
    String s = raw.length() > MAX_CHARS ? raw.substring(0, MAX_CHARS) : raw;
    StringBuilder tags = new StringBuilder();
    // Plain ASCII has no invisible characters, nothing for NFKC to fold and no look-alikes.
    if (!isAscii(s)) {
      s = stripInvisible(s, signals, tags);
      s = Normalizer.normalize(s, Normalizer.Form.NFKC);
    }
    s = decodeEntities(s, signals);
    if (!isAscii(s)) {
      s = foldConfusables(s, signals);
    }
    List<String> comments = comments(s);
    if (!comments.isEmpty()) {
      signals.add(TextSignal.HIDDEN_COMMENT);
    }
    List<PayloadDecoder.Payload> payloads = new ArrayList<>();
    if (!tags.isEmpty()) {
      payloads.add(new PayloadDecoder.Payload(TextSignal.TAG_CHARACTERS, tags.toString()));
    }
    if (depth < MAX_DEPTH) {
      payloads.addAll(PayloadDecoder.find(s));
    }
    for (PayloadDecoder.Payload p : payloads) {
      if (p.signal() != null) {
        signals.add(p.signal());
      }
      NormalisedText inner = normalise(p.text(), depth + 1);
      decoded.add(inner.text());
      decoded.addAll(inner.decoded());
      signals.addAll(inner.signals());
    }
    return new NormalisedText(s, decoded, comments, signals);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 128) {
        return false;
      }
    }
    return true;
  }

  /** Drops invisible and bidi control characters; collects Unicode tag characters as ASCII. */
  private static String stripInvisible(String s, Set<TextSignal> signals, StringBuilder tags) {
    StringBuilder out = null;
    int n = s.length();
    for (int i = 0; i < n; ) {
      int cp = s.codePointAt(i);
      int len = Character.charCount(cp);
      boolean drop = true;
      if (cp >= 0xE0000 && cp <= 0xE007F) {
        if (cp >= 0xE0020 && cp <= 0xE007E) {
          tags.append((char) (cp - 0xE0000));
        }
        signals.add(TextSignal.TAG_CHARACTERS);
      } else if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
        signals.add(TextSignal.BIDI_CONTROL);
      } else if (cp == 0x200E || cp == 0x200F || cp == 0x061C) {
        // Direction marks are normal in right-to-left text: removed, not a signal.
      } else if (invisible(cp)) {
        if (insideWord(s, i, i + len, cp == 0x200C || cp == 0x200D)) {
          signals.add(TextSignal.ZERO_WIDTH);
        }
      } else {
        drop = false;
      }
      if (drop && out == null) {
        out = new StringBuilder(n).append(s, 0, i);
      } else if (!drop && out != null) {
        out.appendCodePoint(cp);
      }
      i += len;
    }
    return out == null ? s : out.toString();
  }

  private static boolean invisible(int cp) {
    return cp == 0x200B || cp == 0x200C || cp == 0x200D || (cp >= 0x2060 && cp <= 0x2064)
        || cp == 0xFEFF || cp == 0x180E || cp == 0x00AD || cp == 0x034F || cp == 0x115F
        || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 || cp == 0x17B4 || cp == 0x17B5
        || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
  }

  /**
   * Whether an invisible character sits between two letters. Joiners (ZWJ, ZWNJ) are spelling in
   * several scripts, so they count only between ASCII letters.
   */
  private static boolean insideWord(String s, int start, int end, boolean joiner) {
    int before = start > 0 ? s.codePointBefore(start) : ' ';
    int j = end;
    while (j < s.length() && invisible(s.codePointAt(j))) {
      j += Character.charCount(s.codePointAt(j));
    }
    int after = j < s.length() ? s.codePointAt(j) : ' ';
    if (joiner) {
      return isAsciiLetter(before) && isAsciiLetter(after);
    }
    return Character.isLetterOrDigit(before) && Character.isLetterOrDigit(after);
  }

  private static boolean isAsciiLetter(int cp) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  }

  private static String decodeEntities(String s, Set<TextSignal> signals) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    Matcher m = ENTITY.matcher(s);
    StringBuilder out = new StringBuilder(s.length());
    while (m.find()) {
      String ref = m.group(1);
      String replacement;
      if (ref.charAt(0) == '#') {
        int cp;
        try {
          cp = ref.length() > 1 && (ref.charAt(1) == 'x' || ref.charAt(1) == 'X')
              ? Integer.parseInt(ref.substring(2), 16)
              : Integer.parseInt(ref.substring(1));
        } catch (NumberFormatException e) {
          cp = -1;
        }
        if (!Character.isValidCodePoint(cp)) {
          replacement = m.group();
        } else {
          if (cp < 128 && Character.isLetterOrDigit(cp)) {
            // Nobody escapes plain letters except to hide them from keyword matching.
            signals.add(TextSignal.HTML_ENTITIES);
          }
          replacement = Character.toString(cp);
        }
      } else {
        replacement = NAMED_ENTITIES.getOrDefault(ref.toLowerCase(java.util.Locale.ROOT), m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Folds look-alike letters to Latin in words that mix them with Latin letters, and in words made
   * only of look-alikes when the text is otherwise Latin. Genuine Cyrillic or Greek text keeps its
   * letters, so rules written for those languages still match.
   */
  private static String foldConfusables(String s, Set<TextSignal> signals) {
    int latin = 0;
    int foreign = 0;
    boolean any = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 128) {
        if (isAsciiLetter(c)) {
          latin++;
        }
      } else if (Character.isLetter(c)) {
        Character.UnicodeScript script = Character.UnicodeScript.of(c);
        if (script != Character.UnicodeScript.LATIN) {
          foreign++;
        }
        any |= Confusables.foreignToLatin(c) != 0 || Confusables.latinVariant(c) != 0;
      }
    }
    if (!any) {
      return s;
    }
    boolean latinText = latin >= 4 * foreign;
    StringBuilder out = new StringBuilder(s);
    int i = 0;
    while (i < s.length()) {
      if (!Character.isLetterOrDigit(s.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      boolean hasAscii = false;
      boolean hasForeign = false;
      boolean allForeign = true;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
        char c = s.charAt(i);
        if (c < 128) {
          hasAscii |= isAsciiLetter(c);
          if (!Character.isDigit(c)) {
            allForeign = false;
          }
        } else if (Confusables.foreignToLatin(c) != 0) {
          hasForeign = true;
        } else if (Confusables.latinVariant(c) != 0) {
          out.setCharAt(i, Confusables.latinVariant(c));
          signals.add(TextSignal.CONFUSABLES);
        } else {
          allForeign = false;
        }
        i++;
      }
      if (hasForeign && (hasAscii || (allForeign && latinText && i - start >= 2))) {
        for (int k = start; k < i; k++) {
          char f = Confusables.foreignToLatin(s.charAt(k));
          if (f != 0) {
            out.setCharAt(k, f);
          }
        }
        signals.add(TextSignal.CONFUSABLES);
      }
    }
    return out.toString();
  }

  private static List<String> comments(String s) {
    List<String> found = new ArrayList<>();
    if (s.contains("<!--")) {
      Matcher m = HTML_COMMENT.matcher(s);
      while (m.find()) {
        String body = m.group(1).strip();
        if (!body.isEmpty()) {
          found.add(body);
        }
      }
    }
    if (s.contains("]:")) {
      Matcher m = MARKDOWN_COMMENT.matcher(s);
      while (m.find()) {
        for (int g = 1; g <= 3; g++) {
          if (m.group(g) != null && !m.group(g).isBlank()) {
            found.add(m.group(g).strip());
          }
        }
      }
    }
    return found;
  }
}
