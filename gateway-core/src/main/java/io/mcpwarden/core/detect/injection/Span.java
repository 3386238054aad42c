package io.mcpwarden.core.detect.injection;

/**
 * A range of the original text that carries an injection, for a {@code redact} action to remove.
 *
 * @param start first character (inclusive), an index into the text as received
 * @param end last character (exclusive)
 * @param reason the rule or layer that found it (e.g. {@code ignore-instructions}, {@code
 *     classifier}, {@code base64:exfiltration})
 */
public record Span(int start, int end, String reason) {

  public Span {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }
  }
}
