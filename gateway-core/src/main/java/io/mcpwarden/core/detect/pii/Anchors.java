package io.mcpwarden.core.detect.pii;

import java.util.Arrays;

/**
 * The positions of one text where a personal-data match can begin, found in a single pass: starts
 * of digit runs, {@code +}, {@code (}, {@code :} and {@code @} characters, and upper-case letters.
 *
 * <p>A regular expression tried at every position costs tens of nanoseconds per character and
 * rule, so twenty rules over a 4 KB result cost milliseconds; almost every position of prose can be
 * ruled out by one character. Each rule says where its matches can start ({@link Start}), derived
 * from these lists, and its expression runs only there ({@link PiiRule}). The lists are exact
 * supersets of the rules' start positions, so the findings are those of a scan of the whole text.
 */
final class Anchors {
  private final String text;
  private final int[] digitRuns;
  private final int[] plus;
  private final int[] parens;
  private final int[] colons;
  private final int[] ats;
  private final int[] uppers;

  private Anchors(String text, int[] digitRuns, int[] plus, int[] parens, int[] colons, int[] ats, int[] uppers) {
    this.text = text;
    this.digitRuns = digitRuns;
    this.plus = plus;
    this.parens = parens;
    this.colons = colons;
    this.ats = ats;
    this.uppers = uppers;
  }

  /** Where a rule's matches can begin, in increasing order (duplicates allowed). */
  @FunctionalInterface
  interface Start {
    int[] in(Anchors a);
  }

  static Anchors of(String text) {
    Positions digitRuns = new Positions();
    Positions plus = new Positions();
    Positions parens = new Positions();
    Positions colons = new Positions();
    Positions ats = new Positions();
    Positions uppers = new Positions();
    int n = text.length();
    boolean prevDigit = false;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      if (digit) {
        if (!prevDigit) {
          digitRuns.add(i);
        }
      } else if (c >= 'a' && c <= 'z' || c == ' ') {
        // the common case: nothing to note
      } else if (c == '+') {
        plus.add(i);
      } else if (c == '(') {
        parens.add(i);
      } else if (c == ':') {
        colons.add(i);
      } else if (c == '@') {
        ats.add(i);
      } else if (c >= 'A' && c <= 'Z' || c > 127 && Character.isUpperCase(text.codePointAt(i))) {
        uppers.add(i);
      }
      prevDigit = digit;
    }
    return new Anchors(text, digitRuns.toArray(), plus.toArray(), parens.toArray(), colons.toArray(), ats.toArray(),
        uppers.toArray());
  }

  /**
   * Where a digit starts that is not preceded by another digit. Every rule whose match begins with
   * a digit has a look-behind that excludes a digit before it.
   */
  int[] digitRuns() {
    return digitRuns;
  }

  /** Digit-run starts and {@code (} (phone numbers: {@code (415) 308-7142}, {@code 0612 …}). */
  int[] digitRunsOrParens() {
    return merge(digitRuns, parens);
  }

  int[] plus() {
    return plus;
  }

  /** Upper-case letters (Unicode), e.g. where a title or a capitalised street name can begin. */
  int[] uppers() {
    return uppers;
  }

  /** Upper-case letters from {@code letters} (ASCII). */
  int[] uppers(String letters) {
    Positions p = new Positions();
    for (int i : uppers) {
      if (letters.indexOf(text.charAt(i)) >= 0) {
        p.add(i);
      }
    }
    return p.toArray();
  }

  /**
   * Starts of {@code letters} ASCII letters directly followed by a digit-run start, optionally
   * with one space between ({@code DE89 3704…}, {@code AB 12 34 56 C}); {@code upperOnly} for
   * case-sensitive rules.
   */
  int[] lettersBeforeDigits(int letters, boolean space, boolean upperOnly) {
    Positions p = new Positions();
    for (int d : digitRuns) {
      add(p, d, letters, upperOnly);
      if (space && d > 0 && text.charAt(d - 1) == ' ') {
        add(p, d - 1, letters, upperOnly);
      }
    }
    p.sort();
    return p.toArray();
  }

  private void add(Positions p, int end, int letters, boolean upperOnly) {
    int start = end - letters;
    if (start < 0) {
      return;
    }
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || !upperOnly && c >= 'a' && c <= 'z')) {
        return;
      }
    }
    p.add(start);
  }

  /** Digit-run starts, and one of {@code letters} directly before a digit-run start (NIE {@code X1234567L}). */
  int[] digitRunsOrLetterBefore(String letters) {
    Positions p = new Positions();
    for (int d : digitRuns) {
      if (d > 0 && letters.indexOf(text.charAt(d - 1)) >= 0) {
        p.add(d - 1);
      }
      p.add(d);
    }
    return p.toArray();
  }

  /**
   * Starts of {@code length} upper-case ASCII letters not preceded by a letter or digit (the
   * surname and name consonants opening a codice fiscale).
   */
  int[] upperRuns(int length) {
    Positions p = new Positions();
    for (int i : uppers) {
      if (i > 0 && Character.isLetterOrDigit(text.charAt(i - 1)) || i + length > text.length()) {
        continue;
      }
      boolean all = true;
      for (int j = i; j < i + length && all; j++) {
        char c = text.charAt(j);
        all = c >= 'A' && c <= 'Z';
      }
      if (all) {
        p.add(i);
      }
    }
    return p.toArray();
  }

  /**
   * Where an IPv6 address can begin: at a {@code :} or up to four hex digits before it, where the
   * character before is not a word character, {@code :} or {@code .} (the rule's look-behind).
   */
  int[] ipv6() {
    Positions p = new Positions();
    for (int c : colons) {
      int k = 0;
      while (k < 5 && c - k - 1 >= 0 && hex(text.charAt(c - k - 1))) {
        k++;
      }
      int start = c - k;
      if (k <= 4 && (start == 0 || !wordColonOrDot(text.charAt(start - 1)))) {
        p.add(start);
      }
    }
    return p.toArray();
  }

  /**
   * Where an e-mail address can begin: the start of the run of local-part characters ({@code
   * [A-Za-z0-9._%+-]}) ending at an {@code @}. The rule's look-behind excludes every such
   * character before the address, so no other start inside the run is possible.
   */
  int[] emails() {
    Positions p = new Positions();
    for (int a : ats) {
      int r = a;
      while (r > 0 && localPart(text.charAt(r - 1))) {
        r--;
      }
      if (r < a) {
        p.add(r);
      }
    }
    return p.toArray();
  }

  /** Where {@code literal} occurs (case-sensitive). */
  int[] occurrences(String literal) {
    Positions p = new Positions();
    for (int i = text.indexOf(literal); i >= 0; i = text.indexOf(literal, i + 1)) {
      p.add(i);
    }
    return p.toArray();
  }

  /** Two increasing position lists as one. */
  static int[] merge(int[] a, int[] b) {
    if (a.length == 0) {
      return b;
    }
    if (b.length == 0) {
      return a;
    }
    int[] out = new int[a.length + b.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < a.length || j < b.length) {
      out[k++] = j == b.length || i < a.length && a[i] <= b[j] ? a[i++] : b[j++];
    }
    return out;
  }

  private static boolean hex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  private static boolean wordColonOrDot(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c == '.';
  }

  private static boolean localPart(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '_' || c == '%'
        || c == '+' || c == '-';
  }

  /** A growable list of positions (most lists of prose stay empty: no allocation beyond the first). */
  private static final class Positions {
    private static final int[] NONE = new int[0];
    private int[] items = NONE;
    private int size;

    void add(int i) {
      if (size == items.length) {
        items = Arrays.copyOf(items, Math.max(8, size * 2));
      }
      items[size++] = i;
    }

    void sort() {
      Arrays.sort(items, 0, size);
    }

    int[] toArray() {
      return size == 0 ? NONE : Arrays.copyOf(items, size);
    }
  }
}
