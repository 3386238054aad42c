package io.mcpwarden.core.detect.text;

import java.util.List;
import java.util.Set;

/**
 * A text after {@link TextNormaliser}: what a detector should read instead of the raw input.
 *
 * <p>Kept apart from the raw text because rules and classifiers must see what the model would
 * understand (folded look-alikes, decoded payloads) while reasons still name what was hidden.
 *
 * @param text the normalised text: NFKC, invisible and bidi controls removed, look-alike letters
 *     folded in mixed-script words, HTML entities decoded; comments stay in place
 * @param decoded readable payloads found inside the text (base64, hex, URL-encoded, tag
 *     characters), each normalised in turn
 * @param comments bodies of HTML and Markdown comments (also still part of {@code text}): what
 *     a renderer hides from the user but the model reads
 * @param signals what was removed, folded or decoded on the way
 */
public record NormalisedText(
    String text, List<String> decoded, List<String> comments, Set<TextSignal> signals) {

  public NormalisedText {
    decoded = List.copyOf(decoded);
    comments = List.copyOf(comments);
    signals = Set.copyOf(signals);
  }

  /** The text and every decoded payload, one per line: everything a detector should inspect. */
  public String inspectable() {
    if (decoded.isEmpty()) {
      return text;
    }
    StringBuilder b = new StringBuilder(text);
    for (String d : decoded) {
      b.append('\n').append(d);
    }
    return b.toString();
  }

  /** True when {@code signal} was seen. */
  public boolean has(TextSignal signal) {
    return signals.contains(signal);
  }
}
