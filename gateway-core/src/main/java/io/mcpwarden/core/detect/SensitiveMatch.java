package io.mcpwarden.core.detect;

/**
 * One secret or piece of personal data found in a text.
 *
 * @param kind secret or personal data
 * @param type the typed rule that matched, e.g. {@code aws-access-key}, {@code email}, {@code iban}
 * @param start first character (inclusive)
 * @param end last character (exclusive)
 */
public record SensitiveMatch(Kind kind, String type, int start, int end) {

  /** The two families of sensitive data. */
  public enum Kind {
    SECRET,
    PII
  }

  /** The placeholder that replaces the span when redacting, e.g. {@code [REDACTED:aws-access-key]}. */
  public String placeholder() {
    return "[REDACTED:" + type + "]";
  }
}
