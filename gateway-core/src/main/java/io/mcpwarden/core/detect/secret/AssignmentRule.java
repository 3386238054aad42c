package io.mcpwarden.core.detect.secret;

import io.mcpwarden.core.detect.SensitiveMatch;
import io.mcpwarden.core.detect.SpanResolver.Candidate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generic secrets: a value assigned to a key that names a secret ({@code password=…}, {@code
 * "api_key": "…"}, {@code --token …}, {@code <slackToken>…</slackToken>}, {@code
 * setProperty("USER_TOKEN", "…")}), and high-entropy strings written just after a secret-like word
 * in prose ("the client secret is …").
 *
 * <p>Typed rules miss every vendor they do not know; this rule catches those by context, and stays
 * precise by judging both sides: the key's last word ({@link KeyNames}) and the value's shape
 * ({@link ValueShapes}: generated-looking, not a placeholder, identifier, path or reference).
 * Passwords are reported as {@code password}, other values as {@code generic-secret}.
 */
final class AssignmentRule implements SecretRule {
  static final int ASSIGNED = 40;
  static final int NEAR_WORD = 30;

  /**
   * The value: no quotes, separators or brackets; {@code =} only as base64 padding at the end, so a
   * run of {@code key=key=key=…} is not one long value. Possessive: a value never gives characters
   * back, which keeps the scan linear.
   */
  private static final String VALUE = "(?<val>[^\\s\"'`;,<>(){}\\[\\]|\\\\&=]{4,400}+={0,2})";

  static final List<Pattern> ASSIGNMENTS =
      List.of(
          // key = value, key: value, key := value, "key": "value", key => value, $key .= "value"
          Pattern.compile(
              "(?<![\\w.$@-])(?<key>[A-Za-z_$@][\\w.$@-]{0,80}+)[\"'\\]]{0,2}[ \\t]{0,5}"
                  + "(?:[:?.+]?=|:{2,3}=|=>|:(?![:/\\\\]))[ \\t]{0,5}[\"'`]?"
                  + VALUE),
          // ("key", "value") as in setProperty / getenv-with-default calls
          Pattern.compile(
              "[\"'](?<key>[\\w.-]{1,80})[\"'][ \\t]*,[ \\t]*[\"'](?<val>[^\\s\"'`]{4,400})[\"']"),
          // --key value, --key=value, -key value
          Pattern.compile(
              "(?<![\\w-])-{1,2}(?<key>[A-Za-z][\\w-]{0,60})(?:=|[ \\t]+)[\"']?" + VALUE),
          // <key>value</key>
          Pattern.compile(
              "<(?<key>[\\w.-]{1,60})>\\s{0,20}(?<val>[^<\\s]{4,400})\\s{0,20}</\\k<key>>"));

  private static final Pattern NEAR =
      Pattern.compile(
          "(?i)(?<![\\w.-])(?<key>api[ _-]?key|access[ _-]?key|secret(?:[ _-]?key)?|token|password|"
              + "passwd|credentials?|client[ _-]?secret|auth[ _-]?token)s?\\b[^\\n\\r]{0,24}?"
              + "[\\s:=>\"'`(](?<val>[A-Za-z0-9+/_~.=-]{16,400})");

  /** "the password is …", "passcode was …": a password stated in prose. */
  private static final Pattern PASSWORD_IN_PROSE =
      Pattern.compile(
          "(?i)\\b(?:password|passwd|passphrase|passcode)\\s+(?:is|was|will be|remains)\\s*:?\\s+[\"'`]?"
              + "(?<val>[^\\s\"'`]{6,64})");

  private static final List<String> KEYWORDS =
      List.of("pass", "pwd", "psw", "secret", "token", "key", "auth", "cred", "bearer", "pat");

  /** What {@link #PASSWORD_IN_PROSE} needs. */
  private static final List<String> PROSE_KEYWORDS = List.of("passw", "passphrase", "passcode");

  @Override
  public List<String> keywords() {
    return java.util.stream.Stream.concat(KEYWORDS.stream(), PROSE_KEYWORDS.stream()).toList();
  }

  @Override
  public void find(String text, Keywords.Found found, List<Candidate> out) {
    if (!found.any(KEYWORDS)) {
      return;
    }
    for (int k = 0; k < ASSIGNMENTS.size(); k++) {
      Matcher m = ASSIGNMENTS.get(k).matcher(text);
      if (k == 0 || k == 2) {
        // key = value and --key value: tried only at the start of a key that mentions a secret
        // word (anything else is a key of no interest), the same matches as the search below at a
        // fraction of the cost on long texts full of ordinary "key: value" pairs.
        m.useTransparentBounds(true).useAnchoringBounds(false);
        int from = 0;
        for (int c : keyStarts(text, k == 0 ? ASSIGNMENT_KEY : OPTION)) {
          if (k == 2 && text.charAt(c) != '-') {
            continue;
          }
          if (c < from) {
            continue;
          }
          m.region(c, text.length());
          if (m.lookingAt()) {
            from = Math.max(c + 1, m.start("val"));
            consider(m, text, out);
          }
        }
        continue;
      }
      int from = 0;
      while (from < text.length() && m.find(from)) {
        // An assignment's value may itself hold the next assignment ("config": "TOKEN=…"), so the
        // search resumes inside the value rather than after it.
        from = Math.max(m.start() + 1, m.start("val"));
        consider(m, text, out);
      }
    }
    Matcher prose = PASSWORD_IN_PROSE.matcher(text);
    while (found.any(PROSE_KEYWORDS) && prose.find()) {
      String value = ValueShapes.trimTrailing(prose.group("val"));
      if (ValueShapes.password(value)) {
        add(out, "password", prose.start("val"), value, NEAR_WORD);
      }
    }
    Matcher m = NEAR.matcher(text);
    while (m.find()) {
      if (elided(text, m.end("val"), m.group("val"))) {
        continue;
      }
      String value = ValueShapes.trimTrailing(m.group("val"));
      if (ValueShapes.generatedSecret(value)
          && Entropy.shannon(value) >= 3.5
          && (ValueShapes.hexLike(value) && value.length() >= 32
              || ValueShapes.classes(value) == 3 && LookAlikes.mixedCaseLikeRandom(value))) {
        String key = m.group("key").toLowerCase(java.util.Locale.ROOT);
        String type = key.startsWith("pass") ? "password" : "generic-secret";
        add(out, type, m.start("val"), value, NEAR_WORD);
      }
    }
  }

  /** Reports the value of an assignment match when its key names a secret and the value looks like one. */
  private static void consider(Matcher m, String text, List<Candidate> out) {
    KeyNames.Meaning meaning = KeyNames.meaning(m.group("key"));
    if (meaning == KeyNames.Meaning.OTHER || elided(text, m.end("val"), m.group("val"))) {
      return;
    }
    String value = ValueShapes.trimTrailing(m.group("val"));
    boolean secret =
        meaning == KeyNames.Meaning.PASSWORD
            ? ValueShapes.password(value)
            : ValueShapes.generatedSecret(value);
    if (secret) {
      String type = meaning == KeyNames.Meaning.PASSWORD ? "password" : "generic-secret";
      add(out, type, m.start("val"), value, ASSIGNED);
    }
  }

  /**
   * Where a key that mentions a secret word can begin: the start of the run of key characters
   * (word characters and {@code . $ @ -}) around each occurrence of a secret or password stem
   * ({@code pass}, {@code pw}, {@code key}, {@code token} …, any case), in increasing order. The
   * assignment expression's look-behind excludes a key character before a
   * key, so a key can only begin at such a run start; keys without a stem mean nothing here.
   */
  static int[] keyStarts(String text, KeyChars keyChar) {
    int n = text.length();
    int[] starts = new int[8];
    int count = 0;
    int prevAt = -1;
    int prevStart = -1;
    for (int i = 0; i < n; i++) {
      if (!KeyNames.stemAt(text, i)) {
        continue;
      }
      int j = i;
      while (j > 0 && keyChar.in(text.charAt(j - 1))) {
        j--;
        if (j == prevAt) {
          j = prevStart; // the same run as the previous occurrence: its start is known
          break;
        }
      }
      prevAt = i;
      prevStart = j;
      if (count > 0 && starts[count - 1] == j) {
        continue;
      }
      if (count == starts.length) {
        starts = java.util.Arrays.copyOf(starts, count * 2);
      }
      starts[count++] = j;
    }
    return java.util.Arrays.copyOf(starts, count);
  }

  /** The characters of a key run. */
  @FunctionalInterface
  interface KeyChars {
    boolean in(char c);
  }

  /** {@code [\w.$@-]}: the first assignment expression's key and its look-behind. */
  static final KeyChars ASSIGNMENT_KEY = c -> word(c) || c == '.' || c == '$' || c == '@' || c == '-';

  /** {@code [\w-]}: an option's dashes and name, and its look-behind. */
  static final KeyChars OPTION = c -> word(c) || c == '-';

  private static boolean word(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
  }

  /**
   * True when the value is shown truncated ({@code ops_eyJzaW..}, {@code abc…}, {@code
   * abc..[Redacted]}): what is left is a prefix, already redacted by whoever wrote it.
   */
  static boolean elided(String text, int end, String value) {
    if (value.contains("..") || value.endsWith("\u2026")) {
      return true;
    }
    return end < text.length() && text.charAt(end) == '\u2026';
  }

  private static void add(List<Candidate> out, String type, int start, String value, int priority) {
    out.add(
        new Candidate(
            new SensitiveMatch(SensitiveMatch.Kind.SECRET, type, start, start + value.length()),
            priority));
  }
}
