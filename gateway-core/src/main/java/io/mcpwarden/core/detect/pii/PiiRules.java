package io.mcpwarden.core.detect.pii;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The built-in personal-data rules.
 *
 * <p>Identifiers with a checksum are accepted on their checksum; loosely shaped data (phone
 * numbers, IP addresses, names, addresses) only in forms or contexts that rarely mean anything
 * else, because a guard that redacts version numbers and order ids gets switched off.
 */
final class PiiRules {
  static final int CHECKSUMMED = 100;
  static final int STRUCTURED = 80;
  static final int LOOSE = 50;

  /** Words that label a phone number just before it, on the same line or alone on the line above. */
  private static final Pattern PHONE_WORDS =
      Pattern.compile(
          "\\b(?:phone|tel|telephone|mobile|mob|cell|fax|desk|office|call|ring|dial|text me|sms|"
              + "whatsapp|answering at|reach (?:me|us|him|her) at|registered|nummer|numéro|"
              + "telefon|teléfono|contact)\\b(?:[^\\n]{0,24}|[ \\t]*:?[ \\t]*\\n[ \\t]*)\\z");

  /** Words that label a phone number when they come just after it ("… 416 60 039 office"). */
  private static final Pattern PHONE_AFTER =
      Pattern.compile("^[ \\t]{0,3}[-–(]?[ \\t]{0,2}(?i:office|fax|mobile|cell|home|work|tel|phone)\\b");

  /** Labels of other numbers that a short digit group would otherwise be mistaken for. */
  private static final Pattern OTHER_NUMBER_WORDS =
      Pattern.compile(
          "\\b(?:licen[cs]e|ssn|social security|account|order|invoice|passport|policy|tracking|"
              + "reference|ref|customer|member|employee|id|zip|postal|postcode|box|located|address|"
              + "street|suite|apt)\\b[^\\n]{0,24}\\z");

  private static final Pattern SSN_WORDS = Pattern.compile("\\b(?:ssn|social security)[^\\n]{0,24}\\z");

  private static final Pattern CARD_WORDS =
      Pattern.compile("\\b(?:card|cc|credit|debit|visa|mastercard|amex|pan)[^\\n]{0,20}\\z");

  private static final Pattern VERSION_WORDS =
      Pattern.compile("\\b(?:version|release|build|ver|v|rev|firmware|sdk|oid|os)[\\s:=.]*\\z");

  private static final Set<String> EXAMPLE_DOMAINS =
      Set.of("example.com", "example.org", "example.net", "example", "test", "invalid", "localhost");

  private static final Set<String> FILE_TLDS =
      Set.of("png", "jpg", "jpeg", "gif", "svg", "webp", "js", "css", "map", "ts", "py", "md",
          "json", "html", "htm", "txt", "xml", "yaml", "yml", "pdf", "zip", "jar");

  private static final Set<String> ROLE_LOCAL_PARTS =
      Set.of("noreply", "no-reply", "donotreply", "do-not-reply", "git", "mailer-daemon", "postmaster");

  private PiiRules() {}

  static List<PiiRule> defaults() {
    List<PiiRule> r = new ArrayList<>();
    r.add(
        PiiRule.of(
            "email",
            "(?<![\\w.%+-])([A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9])?@"
                + "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24})(?![\\w-])",
            PiiRules::personalEmail,
            STRUCTURED)
        .from(Anchors::emails));
    r.add(
        PiiRule.of(
            "payment-card",
            // Unbroken, 4-4-4-4(-3) with one kind of separator, or Amex/Diners 4-6-5/4-6-4; no
            // free-form grouping, which would make a long digit run a combinatorial search.
            "(?<![\\w.-])(\\d{12,19}+|\\d{4}([ -])\\d{4}\\2\\d{4}\\2\\d{1,4}+(?:\\2\\d{1,3}+)?|\\d{4}([ -])\\d{6}\\3\\d{4,5}+)"
                + "(?![\\w-]|\\.\\d)",
            (v, t, s, e) -> {
              int digits = v.replaceAll("\\D", "").length();
              return digits >= 12
                  && digits <= 19
                  && (PaymentCards.valid(v)
                      || Contexts.precededBy(t, s, 30, CARD_WORDS) && PaymentCards.luhnOnly(v));
            },
            CHECKSUMMED)
        .from(Anchors::digitRuns));
    r.add(
        PiiRule.of(
            "iban",
            "(?i)(?<![A-Za-z0-9])([A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)(?![A-Za-z0-9])",
            (v, t, s, e) -> Checksums.iban(v),
            CHECKSUMMED)
        .from(a -> a.lettersBeforeDigits(2, false, false)));
    r.add(
        PiiRule.of(
            "us-ssn",
            "(?<![\\w-])(\\d{3}([- ])\\d{2}\\2\\d{4})(?![\\w-])",
            (v, t, s, e) ->
                usSsn(v)
                    && (Contexts.precededBy(t, s, 30, SSN_WORDS)
                        || !Contexts.precededBy(t, s, 30, PHONE_WORDS)),
            STRUCTURED + 5)
        .from(Anchors::digitRuns));
    r.add(
        PiiRule.of(
            "us-ssn",
            "(?<![\\w-])(\\d{9})(?![\\w-])",
            (v, t, s, e) -> usSsn(v) && Contexts.precededBy(t, s, 30, SSN_WORDS),
            STRUCTURED + 5)
        .from(Anchors::digitRuns));
    r.add(
        PiiRule.of(
            "uk-nino",
            "(?<![A-Za-z0-9])((?!BG|GB|NK|KN|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D])(?![A-Za-z0-9])",
            SpanCheck.ANY,
            STRUCTURED)
        .from(a -> a.lettersBeforeDigits(2, true, true)));
    r.add(
        PiiRule.of(
            "es-dni",
            "(?<![A-Za-z0-9])((?:\\d{8}|[XYZ]\\d{7})-?[A-Z])(?![A-Za-z0-9])",
            (v, t, s, e) -> Checksums.spanishId(v),
            CHECKSUMMED)
        .from(a -> a.digitRunsOrLetterBefore("XYZ")));
    r.add(
        PiiRule.of(
            "it-fiscal-code",
            "(?<![A-Za-z0-9])([A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPR-T][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z])(?![A-Za-z0-9])",
            (v, t, s, e) -> Checksums.italianFiscalCode(v),
            CHECKSUMMED)
        .from(a -> a.upperRuns(6)));
    r.add(
        PiiRule.of(
            "ip-address",
            "(?<![\\w.])((?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3})(?![\\w.]|\\.\\d)",
            PiiRules::ipv4,
            STRUCTURED)
        .from(Anchors::digitRuns));
    r.add(
        PiiRule.of(
            "ip-address",
            "(?<![\\w:.])((?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{0,4}::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{0,4})(?![\\w:])",
            PiiRules::ipv6,
            STRUCTURED)
        .from(Anchors::ipv6));
    // Phone numbers: international form, North American form, national trunk-prefix form, and
    // short local numbers only after a phone label.
    r.add(
        PiiRule.of(
            "phone",
            "(?<![\\w+])(\\+\\d{1,3}+[ .-]?(?:\\(0\\)[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}+(?:[ .-]?\\d{1,4}+){1,5}+(?:[ ]?(?:x|ext\\.?)[ ]?\\d{1,5})?)(?![\\w]|-\\d)",
            (v, t, s, e) -> digits(v, 8, 15) && !ssnShaped(v) && !fictional(v),
            LOOSE)
        .from(Anchors::plus));
    r.add(
        PiiRule.of(
            "phone",
            "(?<![\\w.+-])((?:(?:1|001)[ .-])?(?:\\([2-9]\\d{2}\\) ?|[2-9]\\d{2}[.-])[2-9]\\d{2}[.-]\\d{4}(?:[ ]?(?:x|ext\\.?)[ ]?\\d{1,5})?)(?![\\w]|-\\d|\\.\\d)",
            (v, t, s, e) -> !Contexts.precededBy(t, s, 20, VERSION_WORDS) && !fictional(v),
            LOOSE)
        .from(Anchors::digitRunsOrParens));
    r.add(
        PiiRule.of(
            "phone",
            "(?<![\\w.+-])(\\(?0\\d{1,4}+\\)?[ .-]\\d{2,4}+(?:[ .-]\\d{2,4}+){1,3}+)(?![\\w]|-\\d|\\.\\d)",
            (v, t, s, e) -> digits(v, 9, 11) && !dateLike(v) && !ssnShaped(v),
            LOOSE)
        .from(Anchors::digitRunsOrParens));
    r.add(
        PiiRule.of(
            "phone",
            "(?<![\\w.+-])(\\(?\\d{2,4}+\\)?(?:[ .-]?\\d{2,4}+){1,4}+)(?![\\w]|-\\d|\\.\\d)",
            (v, t, s, e) ->
                digits(v, 7, 12)
                    && !dateLike(v)
                    && !ssnShaped(v)
                    && !fictional(v)
                    && !Contexts.precededBy(t, s, 32, OTHER_NUMBER_WORDS)
                    && (Contexts.precededBy(t, s, 32, PHONE_WORDS)
                        || PHONE_AFTER.matcher(t.substring(e, Math.min(t.length(), e + 16))).find()),
            LOOSE - 5)
        .from(Anchors::digitRunsOrParens));
    r.addAll(NamesAndAddresses.rules());
    return List.copyOf(r);
  }

  static boolean personalEmail(String v, String text, int start, int end) {
    String lower = v.toLowerCase(Locale.ROOT);
    int at = lower.indexOf('@');
    String local = lower.substring(0, at);
    String domain = lower.substring(at + 1);
    if (local.contains("..") || ROLE_LOCAL_PARTS.contains(local)) {
      return false;
    }
    String tld = domain.substring(domain.lastIndexOf('.') + 1);
    if (FILE_TLDS.contains(tld)) {
      return false;
    }
    for (String example : EXAMPLE_DOMAINS) {
      if (domain.equals(example) || domain.endsWith("." + example)) {
        return false;
      }
    }
    return true;
  }

  /** US SSN: area not 000, 666 or 9xx; group not 00; serial not 0000; not a famous sample. */
  static boolean usSsn(String v) {
    String d = v.replaceAll("\\D", "");
    if (d.length() != 9) {
      return false;
    }
    int area = Integer.parseInt(d.substring(0, 3));
    int group = Integer.parseInt(d.substring(3, 5));
    int serial = Integer.parseInt(d.substring(5));
    if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) {
      return false;
    }
    // Published samples (the Woolworth wallet card, advertising) and all-same-digit fillers.
    return !d.equals("078051120") && !d.equals("219099999") && !d.equals("123456789")
        && d.chars().distinct().count() > 1;
  }

  static boolean ipv4(String v, String text, int start, int end) {
    if (Contexts.precededBy(text, start, 16, VERSION_WORDS)) {
      return false;
    }
    if (v.startsWith("127.") || v.equals("0.0.0.0") || v.startsWith("255.")) {
      return false;
    }
    // "WinPython-64bit-3.4.2.4", "lib_1.2.3.4": a version glued to a name.
    if (start >= 2 && "-_".indexOf(text.charAt(start - 1)) >= 0
        && Character.isLetterOrDigit(text.charAt(start - 2))) {
      return false;
    }
    // A dotted quad directly inside a longer dotted or dashed identifier is not an address.
    return !(start > 0 && "-/@".indexOf(text.charAt(start - 1)) >= 0 && end < text.length()
        && text.charAt(end) == '-');
  }

  static boolean ipv6(String v, String text, int start, int end) {
    int groups = 0;
    for (String g : v.split(":")) {
      if (!g.isEmpty()) {
        groups++;
      }
    }
    if (groups < 3 || v.equals("::1")) {
      return false;
    }
    // "58::34:58" (line:column pairs, times) parses as IPv6; real addresses written compressed
    // nearly always show a hex letter or a full four-digit group.
    if (v.contains("::") && !v.matches("(?s).*(?:[A-Fa-f]|[0-9A-Fa-f]{4}).*")) {
      return false;
    }
    try {
      return InetAddress.ofLiteral(v) instanceof Inet6Address a && !a.isLoopbackAddress();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static boolean digits(String v, int min, int max) {
    int n = 0;
    for (int i = 0; i < v.length(); i++) {
      if (Character.isDigit(v.charAt(i))) {
        n++;
      }
    }
    return n >= min && n <= max;
  }

  /** The 3-2-4 grouping of a US social security number, never used for phone numbers. */
  static boolean ssnShaped(String v) {
    return v.matches("\\d{3}([- ])\\d{2}\\1\\d{4}");
  }

  /** North American numbers with the 555 exchange are reserved for fiction and examples. */
  static boolean fictional(String v) {
    String d = v.replaceAll("\\D", "");
    String national = d.length() > 10 ? d.substring(d.length() - 10) : d;
    return national.length() == 10 && (national.startsWith("555") || national.startsWith("555", 3));
  }

  /** Dates such as 2024-01-31, 31.01.2024 or 01/31/2024 written with the phone separators. */
  static boolean dateLike(String v) {
    return v.matches("\\d{4}[-./]\\d{1,2}[-./]\\d{1,2}.*") || v.matches("\\d{1,2}[-./]\\d{1,2}[-./]\\d{4}.*");
  }
}
