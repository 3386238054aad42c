package io.mcpwarden.core.detect.secret;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recognises values that have the shape of a secret but are not one: documentation examples
 * ({@code AKIAIOSFODNN7EXAMPLE}), placeholders ({@code xxxx}, {@code <your-token>}, {@code
 * ${VAR}}), masked values, and hand-typed sample keys made of runs such as {@code 12345678} or
 * {@code abcdef}.
 *
 * <p>Blocking a tool call because its argument quotes a README example would teach users to turn
 * the guard off, so every rule consults this allow-list before it reports a value.
 */
public final class LookAlikes {

  private static final List<String> MARKERS =
      List.of(
          "example", "sample", "dummy", "placeholder", "redacted", "changeme", "change_me",
          "fake", "xxxx", "****", "####", "....", "${", "{{", "}}", "%(", "<your", "your_",
          "your-", "yourkey", "yourtoken", "yoursecret", "yourpassword", "_here", "-here",
          "insert_", "replace_me", "replaceme", "notreal", "not_a_real", "not-a-real");

  /** Values that are the name of the thing rather than the thing (case-insensitive). */
  private static final Set<String> WORDS =
      Set.of(
          "password", "passwd", "pass", "pwd", "secret", "token", "apikey", "api_key",
          "api-key", "key", "changeme", "test", "testing", "tester", "admin", "root", "user",
          "username", "guest", "demo", "example", "none", "null", "nil", "undefined", "true",
          "false", "string", "value", "required", "optional", "default", "xxx", "yyy", "zzz",
          "abc", "abc123", "123456", "1234567", "12345678", "123456789", "qwerty", "letmein",
          "secret123", "password1", "password123", "p@ssw0rd", "foo", "bar", "foobar", "baz",
          "mypassword", "mysecret", "mytoken", "secretkey", "access_token", "accesstoken",
          "auth_token", "authtoken", "client_secret", "private", "hidden", "masked", "empty",
          "todo", "tbd", "n/a", "na", "redacted", "dev", "local", "localhost", "postgres",
          "mysql", "root123", "admin123", "pass123", "changeit", "dummy", "sample", "fake");

  private LookAlikes() {}

  /** True when {@code value} is a placeholder, example or obviously fake value. */
  public static boolean isLookAlike(String value) {
    String v = value.strip();
    if (v.isEmpty()) {
      return true;
    }
    String lower = v.toLowerCase(Locale.ROOT);
    if (WORDS.contains(lower)) {
      return true;
    }
    for (String marker : MARKERS) {
      if (lower.contains(marker)) {
        return true;
      }
    }
    if (isReference(v)) {
      return true;
    }
    if (v.length() >= 8 && distinct(v) <= 4) {
      return true;
    }
    return v.length() >= 8 && patternedShare(v) >= 0.4;
  }

  /**
   * True for references to a secret kept elsewhere: {@code $VAR}, {@code ${VAR}}, {@code %VAR%},
   * {@code @VAR@}, {@code <value>}, {@code {value}}, {@code [VALUE]}.
   */
  static boolean isReference(String v) {
    char first = v.charAt(0);
    char last = v.charAt(v.length() - 1);
    return first == '$'
        || first == '<'
        || first == '{'
        || first == '['
        || first == '`'
        || (first == '%' && last == '%')
        || (first == '@' && last == '@')
        || v.contains("$(")
        || v.contains("${");
  }

  /** Number of distinct characters. */
  static int distinct(String v) {
    return (int) v.chars().distinct().count();
  }

  /**
   * Share of characters that sit in runs of three or more repeated or consecutive characters
   * ({@code aaa}, {@code 1234}, {@code cba}); near zero for generated keys, high for hand-typed
   * samples such as {@code 12345678-ABCD-ABCD-ABCD-1234567890AB}.
   */
  static double patternedShare(String v) {
    int n = v.length();
    boolean[] patterned = new boolean[n];
    int i = 0;
    while (i < n - 1) {
      int d = v.charAt(i + 1) - v.charAt(i);
      if (d < -1 || d > 1) {
        i++;
        continue;
      }
      int k = i + 1;
      while (k + 1 < n && v.charAt(k + 1) - v.charAt(k) == d) {
        k++;
      }
      if (k - i + 1 >= 3) {
        for (int j = i; j <= k; j++) {
          patterned[j] = true;
        }
      }
      i = k;
    }
    int count = 0;
    for (boolean p : patterned) {
      if (p) {
        count++;
      }
    }
    return (double) count / n;
  }

  /**
   * True when a letters-only value alternates case often, as generated tokens do ({@code
   * jCBaQngSHiHDRYOcs}) and camel-case identifiers do not ({@code requiredCharacteristicTypes}).
   */
  static boolean mixedCaseLikeRandom(String v) {
    int letters = 0;
    int changes = 0;
    Boolean upper = null;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (!Character.isLetter(c)) {
        continue;
      }
      letters++;
      boolean u = Character.isUpperCase(c);
      if (upper != null && u != upper) {
        changes++;
      }
      upper = u;
    }
    return letters > 0 && changes >= letters / 3;
  }
}
