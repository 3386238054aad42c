package io.mcpwarden.core.detect.poison;

import io.mcpwarden.core.detect.ToolPoisoningDetector;
import io.mcpwarden.core.detect.text.LinearModel;
import java.util.Optional;

/**
 * Builds the poisoning detector the gateway ships: rules plus the committed classifier
 * {@code tool-description.lm.gz}.
 *
 * <p>One place that knows the model's name and the default operating threshold, so the gateway,
 * the CLI and tests construct the same detector.
 */
public final class PoisoningDetectors {
  /** The classifier resource the gateway ships (see docs/detection.md for how it is trained). */
  public static final String MODEL = "tool-description";

  /**
   * Operating threshold: one rule of weight 0.4 or more flags on its own, the classifier alone
   * only when it is at least 0.99 sure. On cross-validated scores held out by source every
   * threshold from 0.20 to 0.35 gives the same recall at FPR 0.2%; 0.40 gives up 1.5 points of
   * recall so that a single weak rule (weight 0.35, e.g. "use this tool before any search", which
   * honest tools say) does not flag alone. See docs/detection.md.
   */
  public static final double DEFAULT_THRESHOLD = 0.40;

  private PoisoningDetectors() {}

  /** The shipped detector at the default threshold. */
  public static LayeredPoisoningDetector standard() {
    return standard(DEFAULT_THRESHOLD);
  }

  /**
   * The shipped detector at {@code threshold}.
   *
   * @throws IllegalStateException if the model resource is missing (fail closed: no detector
   *     without its model)
   */
  public static LayeredPoisoningDetector standard(double threshold) {
    return new LayeredPoisoningDetector(Optional.of(LinearModel.load(MODEL)), threshold);
  }

  /** Rules and normalisation only (no classifier): for training and ablation. */
  public static ToolPoisoningDetector rulesOnly(double threshold) {
    return new LayeredPoisoningDetector(Optional.empty(), threshold);
  }
}
