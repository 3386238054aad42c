package io.mcpwarden.core.detect.secret;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the name a value is assigned to ({@code api_key}, {@code jiraToken}, {@code
 * SUMO_ACCESS_KEY}, {@code --password}) and says whether it names a secret, a password, or
 * something about a secret that is not one ({@code key_id}, {@code token_url}, {@code
 * password_length}).
 *
 * <p>The last word of the name decides: {@code client_secret} is a secret, {@code
 * client_secret_name} is a name. Words are split at separators and camel-case boundaries, and
 * trailing digits are ignored ({@code bot_token2}).
 */
final class KeyNames {

  /** What a key names. */
  enum Meaning {
    PASSWORD,
    SECRET,
    OTHER
  }

  private static final Set<String> PASSWORD_WORDS =
      Set.of("password", "passwd", "pwd", "passphrase", "pass", "passcode", "pw", "psw");

  private static final Set<String> SECRET_WORDS =
      Set.of(
          "secret", "token", "key", "apikey", "auth", "credential",
          "credentials", "creds", "cred", "bearer", "pat", "privatekey", "accesskey",
          "secretkey", "apitoken", "authtoken", "accesstoken", "sessionkey", "masterkey");

  /** Words after the secret word that still describe the secret itself ({@code secret_value}). */
  private static final Set<String> QUALIFIERS =
      Set.of("value", "val", "string", "str", "b64", "base64", "hex", "raw", "data", "plain");

  /** Words anywhere in the name that make it about something public or not a credential. */
  private static final Set<String> NEVER =
      Set.of(
          "public", "pub", "csrf", "xsrf", "authenticity", "nonce", "publishable", "cache",
          "idempotency", "pagination", "page", "next", "continuation", "cursor", "sort",
          "primary", "foreign", "partition", "row", "hotkey", "shortcut", "keyboard", "sync",
          "resume", "etag", "lock", "max", "count");

  private KeyNames() {}

  static Meaning meaning(String key) {
    if (key.equals("PASS")) {
      return Meaning.OTHER; // a test runner's status ("--- PASS: TestX"), not a password
    }
    if (!mentionsSecret(key)) {
      return Meaning.OTHER; // most keys (id, name, text, …): no need to split them into words
    }
    List<String> words = words(key);
    if (words.isEmpty()) {
      return Meaning.OTHER;
    }
    for (String w : words) {
      if (NEVER.contains(w)) {
        return Meaning.OTHER;
      }
    }
    int last = words.size() - 1;
    String tail = words.get(last);
    int at = last;
    if (QUALIFIERS.contains(tail) && last > 0) {
      at = last - 1;
    }
    String word = words.get(at);
    if (PASSWORD_WORDS.contains(word)) {
      return Meaning.PASSWORD;
    }
    if (SECRET_WORDS.contains(word)) {
      return Meaning.SECRET;
    }
    return Meaning.OTHER;
  }

  private static final String[] STEMS = {
    "pass", "pwd", "psw", "pw", "secret", "token", "key", "auth", "cred", "bearer", "pat"
  };

  /** Whether a stem begins at {@code i} of {@code text} (ASCII case-insensitively, as in keys). */
  static boolean stemAt(String text, int i) {
    char c = text.charAt(i);
    char f = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    if ("pstkacb".indexOf(f) < 0) {
      return false;
    }
    for (String stem : STEMS) {
      if (stem.charAt(0) == f && text.regionMatches(true, i, stem, 0, stem.length())) {
        return true;
      }
    }
    return false;
  }

  /** Cheap pre-check: does the name contain any stem of a secret or password word? */
  static boolean mentionsSecret(String key) {
    String lower = key.toLowerCase(java.util.Locale.ROOT);
    for (String stem : STEMS) {
      if (lower.contains(stem)) {
        return true;
      }
    }
    return false;
  }

  /** Lower-case words of a name, split at non-alphanumerics and camel-case humps. */
  static List<String> words(String key) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        flush(cur, out);
        continue;
      }
      if (cur.length() > 0) {
        char prev = key.charAt(i - 1);
        boolean hump = Character.isUpperCase(c) && Character.isLowerCase(prev);
        boolean acronymEnd =
            Character.isUpperCase(c)
                && Character.isUpperCase(prev)
                && i + 1 < key.length()
                && Character.isLowerCase(key.charAt(i + 1));
        if (hump || acronymEnd) {
          flush(cur, out);
        }
      }
      cur.append(c);
    }
    flush(cur, out);
    return out;
  }

  private static void flush(StringBuilder cur, List<String> out) {
    if (cur.length() == 0) {
      return;
    }
    String w = cur.toString().toLowerCase(Locale.ROOT);
    cur.setLength(0);
    int end = w.length();
    while (end > 0 && Character.isDigit(w.charAt(end - 1))) {
      end--;
    }
    if (end > 0) {
      out.add(w.substring(0, end));
    }
  }
}
