package io.mcpwarden.core.detect.pii;

import java.util.List;

/**
 * Person names and street addresses, recognised only in forms that rarely mean anything else: a
 * name after a title or an introduction ("Dr. Ana Ruiz", "my name is …"), an address with a house
 * number next to a street word ("90 Whitchurch Road", "Rua Diadema 1903", "Friedhofstrasse 33").
 *
 * <p>Without a name dictionary or a language model, recall on free text is low by design; the
 * point is that what is reported is right.
 */
final class NamesAndAddresses {
  private static final String NAME_WORD = "\\p{Lu}[\\p{Ll}'’-]+";
  private static final String NAME =
      "(" + NAME_WORD + "(?:\\s+\\p{Lu}\\.)?(?:\\s+(?:(?:van|von|de|da|del|der|di|le|la)\\s+)?" + NAME_WORD + "){0,2})";

  private static final String STREET_TYPES =
      "Street|St\\.?|Avenue|Ave\\.?|Road|Rd\\.?|Boulevard|Blvd\\.?|Lane|Ln\\.?|Drive|Dr\\.?|Court|Ct\\.?"
          + "|Place|Pl\\.?|Square|Sq\\.?|Terrace|Way|Parkway|Pkwy\\.?|Highway|Hwy\\.?|Circle|Crescent"
          + "|Close|Grove|Gardens|Mews|Trail|Alley|Plaza|Row|Walk|Hill|Park";

  private static final String UNIT = "(?:,?\\s+(?:Apt\\.?|Apartment|Suite|Ste\\.?|Unit|Flat|#)\\s*\\d+[A-Za-z]?)?";

  /** Words that follow "Dear" or "I'm" without being a person's name. */
  private static final java.util.Set<String> NOT_NAMES =
      java.util.Set.of(
          "sir", "madam", "madame", "customer", "customers", "team", "all", "friend", "friends",
          "colleague", "colleagues", "user", "users", "member", "members", "valued", "hiring",
          "manager", "support", "admin", "administrator", "developer", "developers", "reader",
          "readers", "everyone", "folks", "partner", "partners", "client", "sorry", "happy",
          "glad", "here", "not", "going", "the", "an", "a", "new", "your", "our", "using");

  private NamesAndAddresses() {}

  static boolean notAGroup(String name, String text, int start, int end) {
    for (String w : name.split("\\s+")) {
      if (NOT_NAMES.contains(w.toLowerCase(java.util.Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }

  /**
   * "Cheriton Dr Reuquén" is a street ("Dr" = Drive after a capitalised street name), not a doctor:
   * a title directly after a capitalised word on the same line does not introduce a name.
   */
  static boolean titleNotStreet(String name, String text, int start, int end) {
    int i = start - 1;
    while (i >= 0 && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i--;
    }
    while (i >= 0 && (Character.isLetter(text.charAt(i)) || text.charAt(i) == '.')) {
      i--; // the title itself
    }
    int gap = i;
    while (i >= 0 && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i--;
    }
    if (i == gap || i < 0) {
      return true;
    }
    int wordEnd = i;
    while (i >= 0 && Character.isLetter(text.charAt(i))) {
      i--;
    }
    return !(wordEnd > i + 1 && Character.isUpperCase(text.charAt(i + 1)));
  }

  static List<PiiRule> rules() {
    return List.of(
        PiiRule.of(
            "person",
            "\\b(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sir|Dame|Mme|Mlle|Herr|Frau|Sr|Sra|Srta)\\.?\\s+" + NAME,
            NamesAndAddresses::titleNotStreet,
            PiiRules.LOOSE - 10)
        .from(a -> a.uppers("MDPSHF")),
        PiiRule.of(
            "person",
            "(?i:\\b(?:my|his|her|their|your) name is|\\bi am called|\\bname\\s*:|\\bsigned\\s*:|\\bcontact person\\s*:)\\s*" + NAME,
            SpanCheck.ANY,
            PiiRules.LOOSE - 10)
        .needs("name", "signed", "called", "contact"),
        // Salutations and sign-offs of letters and e-mails: "Dear Ana Ruiz,", "Regards,\nAna Ruiz".
        PiiRule.of(
            "person",
            "(?:\\bDear|\\b(?:Regards|Sincerely|Cheers|Thanks|Best),?\\n)\\s*" + NAME + "(?=\\s*(?:,|\\n|$))",
            NamesAndAddresses::notAGroup,
            PiiRules.LOOSE - 10)
        .needs("dear", "regards", "sincerely", "cheers", "thanks", "best")
        .from(a -> a.uppers("DRSCTB")),
        // "I'm Naomi Ryan": two capitalised words, so "I'm Happy" stays out.
        PiiRule.of(
            "person",
            "\\b(?:I'm|I am|This is)\\s+(" + NAME_WORD + "\\s+" + NAME_WORD + ")\\b(?!\\s+\\p{Lu})",
            NamesAndAddresses::notAGroup,
            PiiRules.LOOSE - 10)
        .needs("i'm", "i am", "this is")
        .from(a -> a.uppers("IT")),
        PiiRule.of(
            "street-address",
            "(?<![\\w-])(\\d{1,5}[A-Za-z]?\\s+(?:\\p{Lu}[\\p{L}'.-]+\\s+){1,4}(?:" + STREET_TYPES + ")(?![\\p{L}])" + UNIT + ")",
            SpanCheck.ANY,
            PiiRules.LOOSE)
        .from(Anchors::digitRuns),
        PiiRule.of(
            "street-address",
            "\\b((?:Rua|Via|Viale|Piazza|Corso|Calle|Avda\\.|Avenida|Rue|Chemin|Allée|ul\\.|Ulica|Paseo|Carrer|Travessa|Largo|Strada|Plac)"
                + "\\s+(?:(?:de|da|do|dos|das|del|della|di|des|du|la|le)\\s+)?(?:\\p{Lu}[\\p{L}'.-]+\\s+){1,4}\\d{1,5}[A-Za-z]?)(?![\\w])" + UNIT,
            SpanCheck.ANY,
            PiiRules.LOOSE)
        .from(a -> Anchors.merge(a.uppers("RVPCAULST"), a.occurrences("ul."))),
        PiiRule.of(
            "street-address",
            "\\b(\\p{Lu}\\p{Ll}+(?:straße|strasse|str\\.|weg|gasse|platz|allee|laan|straat|gracht|plein|gatan|vägen|gade|vej|veien|vegen|gata|katu|tie|kuja|polku|utca|tér|út|ulica|cesta)\\s+\\d{1,5}[A-Za-z]?)(?![\\w])",
            SpanCheck.ANY,
            PiiRules.LOOSE)
        .from(Anchors::uppers));
  }
}
