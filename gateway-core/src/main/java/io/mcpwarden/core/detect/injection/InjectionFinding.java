package io.mcpwarden.core.detect.injection;

import io.mcpwarden.core.detect.Verdict;
import java.util.List;

/**
 * The full result of inspecting one text: the {@link Verdict} and, when it is flagged, the spans of
 * the original text that carry the injection.
 *
 * <p>Why a separate type: the {@code Verdict} contract is shared by all detectors, while only
 * injection guards redact; they need spans, in text order and not overlapping.
 *
 * @param verdict score, decision and reasons
 * @param spans offending ranges of the original text; empty when not flagged
 */
public record InjectionFinding(Verdict verdict, List<Span> spans) {

  public InjectionFinding {
    spans = List.copyOf(spans);
  }

  /** Removes the spans from {@code text} (the text this finding was made for). */
  public String redact(String text, String replacement) {
    StringBuilder out = new StringBuilder(text.length());
    int at = 0;
    for (Span s : spans) {
      out.append(text, at, s.start()).append(replacement);
      at = s.end();
    }
    return out.append(text, at, text.length()).toString();
  }
}
