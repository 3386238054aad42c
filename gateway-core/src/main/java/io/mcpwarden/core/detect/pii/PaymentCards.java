package io.mcpwarden.core.detect.pii;

/**
 * Payment card numbers: issuer prefix (IIN) and length of the major networks, plus Luhn.
 *
 * <p>Luhn alone passes one random number in ten; requiring a real network prefix with a length
 * that network issues keeps order numbers, tracking numbers and timestamps out.
 */
final class PaymentCards {
  private PaymentCards() {}

  static boolean valid(String value) {
    String digits = value.replace(" ", "").replace("-", "");
    if (!consistentSeparators(value) || !Checksums.luhn(digits)) {
      return false;
    }
    if (digits.chars().distinct().count() <= 2) {
      return false;
    }
    return network(digits);
  }

  /** Luhn over 12 to 19 digits with consistent separators, for numbers labelled as a card. */
  static boolean luhnOnly(String value) {
    String digits = value.replace(" ", "").replace("-", "");
    return consistentSeparators(value)
        && Checksums.luhn(digits)
        && digits.chars().distinct().count() > 2;
  }

  /** Either no separators, or one kind of separator between groups of 4 (Amex 4-6-5 allowed). */
  private static boolean consistentSeparators(String value) {
    boolean space = value.indexOf(' ') >= 0;
    boolean dash = value.indexOf('-') >= 0;
    if (space && dash) {
      return false;
    }
    if (!space && !dash) {
      return true;
    }
    String[] groups = value.split("[ -]");
    return groups.length >= 3 && groups[0].length() == 4;
  }

  static boolean network(String d) {
    int n = d.length();
    int p1 = d.charAt(0) - '0';
    int p2 = Integer.parseInt(d.substring(0, 2));
    int p3 = Integer.parseInt(d.substring(0, 3));
    int p4 = Integer.parseInt(d.substring(0, 4));
    int p6 = n >= 6 ? Integer.parseInt(d.substring(0, 6)) : 0;
    if (p1 == 4) {
      return n == 13 || n == 16 || n == 19; // Visa
    }
    if ((p2 >= 51 && p2 <= 55) || (p6 >= 222100 && p6 <= 272099)) {
      return n == 16; // Mastercard
    }
    if (p2 == 34 || p2 == 37) {
      return n == 15; // American Express
    }
    if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) {
      return n >= 16 && n <= 19; // Discover
    }
    if (p2 == 35) {
      return n >= 16 && n <= 19; // JCB
    }
    if (p4 == 2131 || p4 == 1800) {
      return n == 15; // JCB (legacy 15-digit)
    }
    if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39 || p3 == 309) {
      return n >= 14 && n <= 19; // Diners Club
    }
    if (p2 == 62 || p2 == 81) {
      return n >= 16 && n <= 19; // UnionPay
    }
    if (p2 == 50 || (p2 >= 56 && p2 <= 69)) {
      return n >= 12 && n <= 19; // Maestro
    }
    if (p4 >= 2200 && p4 <= 2204) {
      return n >= 16 && n <= 19; // Mir
    }
    return false;
  }
}
