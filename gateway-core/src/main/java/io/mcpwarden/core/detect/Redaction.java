package io.mcpwarden.core.detect;

/**
 * What to do with one sensitive span when a text is rewritten: replace it with its typed
 * placeholder, mask it keeping a few trailing characters, or leave it.
 *
 * <p>A closed set so a policy (per data type, per server) can be written as a plain function from
 * {@link SensitiveMatch} to one of these, and the {@link Redactor} applies it.
 */
public sealed interface Redaction {

  /** Replace the span with {@link SensitiveMatch#placeholder()}, e.g. {@code [REDACTED:jwt]}. */
  record Placeholder() implements Redaction {}

  /**
   * Replace letters and digits of the span with {@code maskChar}, keeping the last {@code
   * keepLast} of them (e.g. a card {@code 4111 1111 1111 1111} with 4 kept becomes {@code **** ****
   * **** 1111}). Separators such as spaces, dashes and {@code @} stay, so the shape is readable.
   */
  record Mask(char maskChar, int keepLast) implements Redaction {
    public Mask {
      if (keepLast < 0) {
        throw new IllegalArgumentException("keepLast must be >= 0: " + keepLast);
      }
    }
  }

  /** Leave the span as it is (data the policy allows). */
  record Keep() implements Redaction {}

  Redaction PLACEHOLDER = new Placeholder();
  Redaction KEEP = new Keep();

  /** Masks every letter and digit with {@code *} except the last {@code keepLast}. */
  static Redaction mask(int keepLast) {
    return new Mask('*', keepLast);
  }
}
