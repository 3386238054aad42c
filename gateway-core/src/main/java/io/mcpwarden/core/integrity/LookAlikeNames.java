package io.mcpwarden.core.integrity;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether two tool names from different servers could be mistaken for one another by a
 * model or a person: the same skeleton after Unicode normalisation and confusable folding, or one
 * edit apart once normalised.
 *
 * <p>Look-alike names are how a malicious server gets its tool chosen instead of a trusted one
 * ({@code read_fi1e} beside {@code read_file}, a Cyrillic {@code е} in {@code send_email}); the
 * identical name is reported separately as a duplicate.
 *
 * <p>The skeleton: NFKC, lower case, zero-width and format characters removed, separators
 * ({@code _ - . space}) removed, common confusables folded to one Latin letter (Cyrillic and Greek
 * look-alikes, {@code 0}→{@code o}, {@code 1}/{@code i}/{@code |}→{@code l}, {@code rn}→{@code m},
 * {@code vv}→{@code w}). It is deliberately coarse: a false "look-alike" costs an admin one approval,
 * a missed one can cost a user's data.
 */
public final class LookAlikeNames {
  /** Names shorter than this (after normalisation) must match exactly to count; edits on short names are noise. */
  static final int MIN_EDIT_LENGTH = 5;

  private static final Map<Character, Character> CONFUSABLES = Map.ofEntries(
      // Cyrillic
      Map.entry('а', 'a'), Map.entry('в', 'b'), Map.entry('е', 'e'), Map.entry('ё', 'e'), Map.entry('к', 'k'),
      Map.entry('м', 'm'), Map.entry('н', 'h'), Map.entry('о', 'o'), Map.entry('р', 'p'), Map.entry('с', 'c'),
      Map.entry('т', 't'), Map.entry('у', 'y'), Map.entry('х', 'x'), Map.entry('і', 'l'), Map.entry('ї', 'l'),
      Map.entry('ј', 'j'), Map.entry('ѕ', 's'), Map.entry('ԁ', 'd'), Map.entry('ԛ', 'q'), Map.entry('ԝ', 'w'),
      Map.entry('һ', 'h'), Map.entry('ӏ', 'l'),
      // Greek
      Map.entry('α', 'a'), Map.entry('β', 'b'), Map.entry('ε', 'e'), Map.entry('η', 'n'), Map.entry('ι', 'l'),
      Map.entry('κ', 'k'), Map.entry('ν', 'v'), Map.entry('ο', 'o'), Map.entry('ρ', 'p'), Map.entry('τ', 't'),
      Map.entry('υ', 'u'), Map.entry('χ', 'x'), Map.entry('ω', 'w'),
      // Latin and digits that read alike
      Map.entry('0', 'o'), Map.entry('1', 'l'), Map.entry('i', 'l'), Map.entry('|', 'l'), Map.entry('ı', 'l'),
      Map.entry('ɡ', 'g'), Map.entry('ʏ', 'y'), Map.entry('ꭰ', 'd'), Map.entry('5', 's'), Map.entry('$', 's'));

  private LookAlikeNames() {}

  /** The folded form two look-alike names share. */
  public static String skeleton(String name) {
    String n = Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder sb = new StringBuilder(n.length());
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      int type = Character.getType(c);
      if (type == Character.FORMAT || type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
          || c == '_' || c == '-' || c == '.' || Character.isWhitespace(c)) {
        continue;
      }
      sb.append(CONFUSABLES.getOrDefault(c, c));
    }
    return sb.toString().replace("rn", "m").replace("vv", "w");
  }

  /** Whether two different names could be taken for one another (identical names are not look-alikes). */
  public static boolean lookAlike(String a, String b) {
    if (a.equals(b)) {
      return false;
    }
    String sa = skeleton(a);
    String sb = skeleton(b);
    if (sa.equals(sb)) {
      return !sa.isEmpty();
    }
    return Math.min(sa.length(), sb.length()) >= MIN_EDIT_LENGTH && withinOneEdit(sa, sb);
  }

  /** Levenshtein distance at most 1, in linear time. */
  static boolean withinOneEdit(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 1) {
      return false;
    }
    if (a.length() > b.length()) {
      String t = a;
      a = b;
      b = t;
    }
    int i = 0;
    while (i < a.length() && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    if (i == a.length()) {
      return true;
    }
    if (a.length() == b.length()) {
      return a.substring(i + 1).equals(b.substring(i + 1));
    }
    return a.substring(i).equals(b.substring(i + 1));
  }
}
