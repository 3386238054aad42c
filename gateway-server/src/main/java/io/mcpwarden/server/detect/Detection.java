package io.mcpwarden.server.detect;

import java.util.List;

/**
 * What a detector said about one evaluation row.
 *
 * @param score in [0, 1], higher = more likely positive
 * @param flagged decision at the operating threshold
 * @param spans typed character spans found (secrets, PII); empty for whole-text detectors
 */
public record Detection(double score, boolean flagged, List<Span> spans) {

  public Detection {
    spans = List.copyOf(spans);
  }

  /** A whole-text decision without spans. */
  public static Detection of(double score, boolean flagged) {
    return new Detection(score, flagged, List.of());
  }

  /**
   * One typed span, character offsets into the row's {@code text}.
   *
   * @param type entity or rule type
   * @param start first character (inclusive)
   * @param end last character (exclusive)
   */
  public record Span(String type, int start, int end) {}
}
