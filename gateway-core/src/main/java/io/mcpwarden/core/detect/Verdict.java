package io.mcpwarden.core.detect;

import java.util.List;

/**
 * What a detector concluded about one piece of text: a score, the decision at the detector's
 * operating threshold, and the reasons a human can read in an audit record or a quarantine.
 *
 * @param score in [0, 1], higher = more likely an attack
 * @param flagged the decision at the operating threshold
 * @param reasons short, human-readable reasons (rule names, classifier score); never the raw
 *     secret or payload text beyond a short excerpt
 */
public record Verdict(double score, boolean flagged, List<String> reasons) {

  public static final Verdict CLEAN = new Verdict(0.0, false, List.of());

  public Verdict {
    if (!(score >= 0.0 && score <= 1.0)) {
      throw new IllegalArgumentException("score must be in [0,1]: " + score);
    }
    reasons = List.copyOf(reasons);
  }
}
