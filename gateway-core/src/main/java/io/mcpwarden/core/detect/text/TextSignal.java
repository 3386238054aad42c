package io.mcpwarden.core.detect.text;

/**
 * Something {@link TextNormaliser} removed, folded or decoded while normalising a text.
 *
 * <p>Honest text rarely needs these tricks, so their presence is evidence in its own right: a
 * detector can weigh a signal even when the normalised words look harmless.
 */
public enum TextSignal {
  /** Zero-width or other invisible characters inside a word (e.g. {@code IMP\u200BORTANT}). */
  ZERO_WIDTH,
  /** Bidirectional embedding, override or isolate controls (text shown in another order). */
  BIDI_CONTROL,
  /** Unicode tag characters (U+E0000 block) carrying invisible ASCII ("ASCII smuggling"). */
  TAG_CHARACTERS,
  /** Letters of another script that look like Latin ones, mixed into Latin words. */
  CONFUSABLES,
  /** An HTML comment or a Markdown comment: text most renderers never show to the user. */
  HIDDEN_COMMENT,
  /** Base64 that decodes to readable text. */
  BASE64_PAYLOAD,
  /** Hexadecimal ({@code 49474e4f5245} or {@code \x49\x47}) that decodes to readable text. */
  HEX_PAYLOAD,
  /** Percent-encoded (URL-encoded) readable text. */
  URL_ENCODED_PAYLOAD,
  /** Numeric HTML character references spelling ordinary letters ({@code &#73;&#71;}). */
  HTML_ENTITIES
}
