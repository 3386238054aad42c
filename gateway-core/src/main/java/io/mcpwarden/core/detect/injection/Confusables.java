package io.mcpwarden.core.detect.injection;

/**
 * Maps Cyrillic and Greek letters that look like Latin ones back to Latin, inside words that mix
 * scripts.
 *
 * <p>Why only mixed words: "ignоre" with a Cyrillic о is an evasion, while a Russian sentence is
 * legitimate text (and must stay Russian for the Russian rule vocabulary to see it).
 */
final class Confusables {
  // lower-case look-alikes only: the folded text is lower case already
  private static final String FROM = "аеорсухіјѕԁɡӏһԛԝαεοριτυνκχнмтвь";
  private static final String TO = "aeopcyxijsdglhqwaeopitvvkxhmtbb";

  private Confusables() {}

  static char latin(char c) {
    int at = FROM.indexOf(c);
    return at < 0 ? c : TO.charAt(at);
  }

  /** Replaces look-alikes in place (one character for one, so offsets stay valid). */
  static void foldMixedScriptWords(StringBuilder text) {
    int n = text.length();
    boolean any = false;
    for (int k = 0; k < n && !any; k++) {
      char c = text.charAt(k);
      any = c >= 0x80 && FROM.indexOf(c) >= 0;
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
        } else if (FROM.indexOf(c) >= 0) {
          lookAlike = true;
        }
        i++;
      }
      if (ascii && lookAlike) {
        for (int k = start; k < i; k++) {
          text.setCharAt(k, latin(text.charAt(k)));
        }
      }
    }
  }
}
