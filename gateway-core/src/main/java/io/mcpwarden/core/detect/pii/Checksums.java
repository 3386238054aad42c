package io.mcpwarden.core.detect.pii;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;

/**
 * Check-digit algorithms of the identifiers the PII scanner recognises: Luhn (payment cards),
 * ISO 13616 mod-97 with per-country lengths (IBAN), the Spanish DNI/NIE letter and the Italian
 * codice fiscale check character.
 *
 * <p>A check digit turns "a number of the right length" into "almost certainly that identifier":
 * it is what keeps order numbers, invoice ids and random tokens from being redacted as cards or
 * bank accounts.
 */
public final class Checksums {

  /** IBAN length per country (ISO 13616 registry). */
  static final Map<String, Integer> IBAN_LENGTHS =
      Map.ofEntries(
          Map.entry("AD", 24), Map.entry("AE", 23), Map.entry("AL", 28), Map.entry("AT", 20),
          Map.entry("AZ", 28), Map.entry("BA", 20), Map.entry("BE", 16), Map.entry("BG", 22),
          Map.entry("BH", 22), Map.entry("BR", 29), Map.entry("BY", 28), Map.entry("CH", 21),
          Map.entry("CR", 22), Map.entry("CY", 28), Map.entry("CZ", 24), Map.entry("DE", 22),
          Map.entry("DK", 18), Map.entry("DO", 28), Map.entry("EE", 20), Map.entry("EG", 29),
          Map.entry("ES", 24), Map.entry("FI", 18), Map.entry("FO", 18), Map.entry("FR", 27),
          Map.entry("GB", 22), Map.entry("GE", 22), Map.entry("GI", 23), Map.entry("GL", 18),
          Map.entry("GR", 27), Map.entry("GT", 28), Map.entry("HR", 21), Map.entry("HU", 28),
          Map.entry("IE", 22), Map.entry("IL", 23), Map.entry("IQ", 23), Map.entry("IS", 26),
          Map.entry("IT", 27), Map.entry("JO", 30), Map.entry("KW", 30), Map.entry("KZ", 20),
          Map.entry("LB", 28), Map.entry("LC", 32), Map.entry("LI", 21), Map.entry("LT", 20),
          Map.entry("LU", 20), Map.entry("LV", 21), Map.entry("MC", 27), Map.entry("MD", 24),
          Map.entry("ME", 22), Map.entry("MK", 19), Map.entry("MR", 27), Map.entry("MT", 31),
          Map.entry("MU", 30), Map.entry("NL", 18), Map.entry("NO", 15), Map.entry("PK", 24),
          Map.entry("PL", 28), Map.entry("PS", 29), Map.entry("PT", 25), Map.entry("QA", 29),
          Map.entry("RO", 24), Map.entry("RS", 22), Map.entry("SA", 24), Map.entry("SC", 31),
          Map.entry("SE", 24), Map.entry("SI", 19), Map.entry("SK", 24), Map.entry("SM", 27),
          Map.entry("ST", 25), Map.entry("SV", 28), Map.entry("TL", 23), Map.entry("TN", 24),
          Map.entry("TR", 26), Map.entry("UA", 29), Map.entry("VA", 22), Map.entry("VG", 24),
          Map.entry("XK", 20));

  private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);
  private static final String DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";

  /** Values of the codice fiscale characters in odd positions (1st, 3rd, …), A–Z then 0–9. */
  private static final int[] CF_ODD = {
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23
  };

  private Checksums() {}

  /** Luhn (mod 10) over the digits of {@code digits}. */
  public static boolean luhn(String digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  /** A complete IBAN (spaces allowed): known country, its length, and mod-97 equal to 1. */
  public static boolean iban(String value) {
    String v = value.replace(" ", "").toUpperCase(Locale.ROOT);
    if (v.length() < 15 || v.length() > 34) {
      return false;
    }
    Integer length = IBAN_LENGTHS.get(v.substring(0, 2));
    if (length == null || length != v.length()) {
      return false;
    }
    String rearranged = v.substring(4) + v.substring(0, 4);
    StringBuilder digits = new StringBuilder(rearranged.length() * 2);
    for (int i = 0; i < rearranged.length(); i++) {
      char c = rearranged.charAt(i);
      if (c >= '0' && c <= '9') {
        digits.append(c);
      } else if (c >= 'A' && c <= 'Z') {
        digits.append(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return new BigInteger(digits.toString()).mod(NINETY_SEVEN).intValue() == 1;
  }

  /** Spanish DNI ({@code 12345678Z}) or NIE ({@code X1234567L}) control letter. */
  public static boolean spanishId(String value) {
    String v = value.replace("-", "").toUpperCase(Locale.ROOT);
    if (v.length() != 9) {
      return false;
    }
    char first = v.charAt(0);
    String number =
        switch (first) {
          case 'X' -> "0" + v.substring(1, 8);
          case 'Y' -> "1" + v.substring(1, 8);
          case 'Z' -> "2" + v.substring(1, 8);
          default -> v.substring(0, 8);
        };
    if (!number.chars().allMatch(Character::isDigit)) {
      return false;
    }
    return DNI_LETTERS.charAt(Integer.parseInt(number) % 23) == v.charAt(8);
  }

  /** Italian codice fiscale (16 characters) check character. */
  public static boolean italianFiscalCode(String value) {
    String v = value.toUpperCase(Locale.ROOT);
    if (v.length() != 16) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 15; i++) {
      char c = v.charAt(i);
      int index;
      if (c >= '0' && c <= '9') {
        index = c - '0';
      } else if (c >= 'A' && c <= 'Z') {
        index = c - 'A';
      } else {
        return false;
      }
      // Positions are counted from 1, so index 0 is an odd position.
      sum += i % 2 == 0 ? CF_ODD[index] : index;
    }
    return v.charAt(15) == (char) ('A' + sum % 26);
  }
}
