package io.mcpwarden.core.detect.poison;

import io.mcpwarden.core.detect.text.TextSignal;
import java.util.List;
import java.util.Set;

/**
 * The full working of one poisoning judgement: final score, its two parts and the evidence.
 *
 * <p>The {@link io.mcpwarden.core.detect.Verdict} carries only score, decision and reasons; the
 * evaluation command and the training program need the parts to report and tune them.
 *
 * @param score combined score in [0, 1], see {@link LayeredPoisoningDetector#combine}
 * @param ruleScore noisy-OR of the weights of the rules and text signals that fired
 * @param classifierScore probability from the linear classifier (0 when none is configured)
 * @param hits rules and signals that fired, strongest first
 * @param signals normalisation signals seen anywhere in the tool
 */
public record PoisoningAssessment(
    double score, double ruleScore, double classifierScore, List<Hit> hits, Set<TextSignal> signals) {

  public PoisoningAssessment {
    hits = List.copyOf(hits);
    signals = Set.copyOf(signals);
  }

  /**
   * One piece of evidence.
   *
   * @param rule rule id ({@code concealment}, {@code exfiltration[de]}) or {@code signal:<name>}
   * @param where the tool segment, e.g. {@code description} or {@code inputSchema.properties.path.description}
   * @param excerpt a short excerpt of the matching text (at most ~60 characters)
   * @param weight the rule's weight
   */
  public record Hit(String rule, String where, String excerpt, double weight) {}
}
