package io.mcpwarden.core.detect.secret;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Tests on a candidate value found next to a secret-like key: does it look generated (a
 * credential) or written (an identifier, a path, a URL, an expression)?
 *
 * <p>Generic rules only know that a key sounds secret; these tests keep {@code schemaKey =
 * 'DOC_Vector_5_32'} and {@code keystore = env/cert.p12} out while letting {@code api_key =
 * 'Zf3D0LXCM3EIMbgJpUNnkRtOfOueHznB'} through.
 */
final class ValueShapes {

  /** A segment that reads as a word, a short number, or camel-cased words. */
  private static final Pattern WORDISH =
      Pattern.compile("[A-Za-z]{1,3}|\\d+|[A-Z]+\\d{0,2}|[a-z]+\\d{0,2}|(?:[A-Z]?[a-z]{2,}){1,6}\\d{0,2}");

  private static final Pattern SEPARATORS = Pattern.compile("[._\\-/: ]+");

  private static final Pattern DRIVE_PATH = Pattern.compile("[a-z]:\\\\.*");
  private static final Pattern HEX_LOWER = Pattern.compile("[0-9a-f-]+");
  private static final Pattern HEX_UPPER = Pattern.compile("[0-9A-F-]+");
  private static final Pattern SHORT_NUMBER = Pattern.compile("\\d{1,5}");

  private static final Pattern FILE_EXTENSION =
      Pattern.compile(
          "(?i).*\\.(?:pem|key|p12|pfx|jks|keystore|crt|cer|der|json|ya?ml|txt|env|properties|xml|"
              + "conf|cfg|ini|toml|js|ts|py|rb|go|java|sh|png|jpe?g|gif|svg|html?|md|csv|log|"
              + "zip|gz|tar|jar|exe|dll|so|bin|asc|gpg|pub|keytab)$");

  private ValueShapes() {}

  /** True when every segment of {@code v} reads as a word or a small number. */
  static boolean identifierLike(String v) {
    for (String seg : SEPARATORS.split(v)) {
      if (!seg.isEmpty() && !WORDISH.matcher(seg).matches()) {
        return false;
      }
    }
    return true;
  }

  /** True for paths, file names, URLs and e-mail addresses. */
  static boolean pathOrAddress(String v) {
    String lower = v.toLowerCase(Locale.ROOT);
    if (lower.contains("://")
        || lower.startsWith("/")
        || lower.startsWith("./")
        || lower.startsWith("../")
        || lower.startsWith("~/")
        || DRIVE_PATH.matcher(lower).matches()) {
      return true;
    }
    int at = v.indexOf('@');
    if (at > 0 && v.indexOf('.', at) > at) {
      return true;
    }
    return FILE_EXTENSION.matcher(v).matches();
  }

  /** Number of character classes present among lower-case, upper-case and digits. */
  static int classes(String v) {
    boolean lower = false;
    boolean upper = false;
    boolean digit = false;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      lower |= c >= 'a' && c <= 'z';
      upper |= c >= 'A' && c <= 'Z';
      digit |= c >= '0' && c <= '9';
    }
    return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0);
  }

  /** True when {@code v} has only letters (and separators): a word or an identifier. */
  static boolean lettersOnly(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (!(Character.isLetter(c) || c == '_' || c == '-' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code v} is hexadecimal (one letter case) with dashes at most, e.g. a UUID. */
  static boolean hexLike(String v) {
    return HEX_LOWER.matcher(v).matches() || HEX_UPPER.matcher(v).matches();
  }

  /**
   * A value assigned to a secret-like key that looks generated: long enough, not an identifier,
   * path or placeholder, mixing character classes, with enough entropy.
   */
  static boolean generatedSecret(String v) {
    if (v.length() < 10 || classes(v) < 2) {
      return false;
    }
    if (LookAlikes.isLookAlike(v) || pathOrAddress(v) || identifierLike(v)) {
      return false;
    }
    double bits = Entropy.shannon(v);
    if (hexLike(v)) {
      // A 16-character hex string cannot exceed 4 bits per character and is often near 3.
      return v.length() >= 16 && bits >= (v.length() < 32 ? 2.7 : 3.0);
    }
    return bits >= 3.0;
  }

  /**
   * A value assigned to a password-like key that is a password rather than a reference to one:
   * no placeholder, variable, path or bare word.
   */
  static boolean password(String v) {
    return v.length() >= 6
        && !LookAlikes.isLookAlike(v)
        && !pathOrAddress(v)
        && !lettersOnly(v)
        && !SHORT_NUMBER.matcher(v).matches()
        && !(identifierLike(v) && hasAny(v, "./:"));
  }

  private static boolean hasAny(String v, String chars) {
    for (int i = 0; i < v.length(); i++) {
      if (chars.indexOf(v.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Trailing punctuation that ends a sentence or a statement rather than the value. */
  static String trimTrailing(String v) {
    int end = v.length();
    while (end > 0 && ".:!?,;)".indexOf(v.charAt(end - 1)) >= 0) {
      end--;
    }
    return v.substring(0, end);
  }
}
