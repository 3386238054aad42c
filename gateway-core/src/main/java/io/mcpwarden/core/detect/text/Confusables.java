package io.mcpwarden.core.detect.text;

import java.util.HashMap;
import java.util.Map;

/**
 * Letters that render like Latin letters, with the Latin letter they imitate.
 *
 * <p>A hand-picked subset of Unicode's confusables (UTS #39) for the scripts attackers use to
 * spell English words past keyword rules: Cyrillic, Greek, Armenian, Cherokee and Latin small
 * capitals. NFKC already folds full-width and mathematical letters, so they are not listed. The
 * one table for every detector: {@link TextNormaliser} and the injection detector's offset-keeping
 * folding both read it.
 */
public final class Confusables {
  /** Look-alikes from other scripts: folded only in Latin context (see TextNormaliser). */
  private static final Map<Integer, Character> FOREIGN = new HashMap<>();

  /** Look-alikes inside the Latin script itself (small capitals, dotless i): always folded. */
  private static final Map<Integer, Character> LATIN = new HashMap<>();

  static {
    foreign("АВЕКМНОРСТХУІЈЅԚԜҮԌ", "ABEKMHOPCTXYIJSQWYG");
    foreign("аеорсухѕіјԁԛԝһӏҽɡ", "aeopcyxsijdqwhleg"); // ɡ (script G) is Latin but rarely honest
    foreign("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX");
    foreign("οντικρυχαϲε", "ovtikpuxace");
    foreign("нмтвь", "hmtbb"); // Cyrillic lower case that renders like small capitals
    foreign("օսհոցզ", "ouhngq");
    foreign("ᎪᏴᏟᎬᎻᎥᏦᎷᏢᏚᎢᏔᏙᏞ", "ABCEHiKMPSTWVL");
    latin("ıȷɑᴀʙᴄᴅᴇɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ", "ijaabcdeghijklmnoprstuvwyz");
  }

  private Confusables() {}

  private static void foreign(String from, String to) {
    put(FOREIGN, from, to);
  }

  private static void latin(String from, String to) {
    put(LATIN, from, to);
  }

  private static void put(Map<Integer, Character> map, String from, String to) {
    int[] cps = from.codePoints().toArray();
    if (cps.length != to.length()) {
      throw new IllegalStateException("confusable table misaligned: " + from);
    }
    for (int i = 0; i < cps.length; i++) {
      map.put(cps[i], to.charAt(i));
    }
  }

  /** The Latin letter a foreign-script look-alike imitates, or 0. */
  public static char foreignToLatin(int codePoint) {
    Character c = FOREIGN.get(codePoint);
    return c == null ? 0 : c;
  }

  /** The plain Latin letter for a Latin-script look-alike (small capital, dotless i), or 0. */
  public static char latinVariant(int codePoint) {
    Character c = LATIN.get(codePoint);
    return c == null ? 0 : c;
  }
}
