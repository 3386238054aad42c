package io.mcpwarden.core.detect.injection;

import io.mcpwarden.core.detect.text.Confusables;

/**
 * Maps look-alike letters of other scripts back to Latin inside words that mix them with Latin
 * letters, in place, one character for one (so the offset map of {@link FoldedText} stays valid);
 * Latin-script variants (small capitals, dotless i) are always mapped. The table is the shared
 * {@link Confusables} of {@code detect.text}.
 *
 * <p>Why only mixed words: "ignоre" with a Cyrillic о is an evasion, while a Russian sentence is
 * legitimate text (and must stay Russian for the Russian rule vocabulary to see it).
 */
final class MixedScriptWords {
  private MixedScriptWords() {}

  /** Folds {@code text} (already lower case) in place. */
  static void fold(StringBuilder text) {
    int n = text.length();
    boolean any = false;
    for (int k = 0; k < n && !any; k++) {
      char c = text.charAt(k);
      any = c >= 0x80 && (Confusables.foreignToLatin(c) != 0 || Confusables.latinVariant(c) != 0);
    }
    if (!any) {
      return;
    }
    int i = 0;
    while (i < n) {
      if (!Character.isLetter(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      boolean ascii = false;
      boolean lookAlike = false;
      while (i < n && Character.isLetter(text.charAt(i))) {
        char c = text.charAt(i);
        if (c < 0x80) {
          ascii = true;
        } else if (Confusables.latinVariant(c) != 0) {
          text.setCharAt(i, Character.toLowerCase(Confusables.latinVariant(c)));
        } else if (Confusables.foreignToLatin(c) != 0) {
          lookAlike = true;
        }
        i++;
      }
      if (ascii && lookAlike) {
        for (int k = start; k < i; k++) {
          char f = Confusables.foreignToLatin(text.charAt(k));
          if (f != 0) {
            text.setCharAt(k, Character.toLowerCase(f));
          }
        }
      }
    }
  }
}
