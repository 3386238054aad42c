package io.mcpwarden.core.detect.pii;

/**
 * Decides whether a pattern match really is the personal data its rule names, looking at the
 * matched value and, where needed, the text around it (a keyword before a short phone number, a
 * {@code version} before a dotted quad).
 */
@FunctionalInterface
interface SpanCheck {
  SpanCheck ANY = (value, text, start, end) -> true;

  boolean test(String value, String text, int start, int end);
}
