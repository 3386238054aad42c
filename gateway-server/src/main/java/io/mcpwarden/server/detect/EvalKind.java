package io.mcpwarden.server.detect;

import java.util.OptionalDouble;
import tools.jackson.databind.JsonNode;

/**
 * One dataset kind the evaluation command can score: its labels, where its category lives, and
 * how to build the shipped detector for it.
 *
 * <p>The detector is built per run so {@code --threshold} can override the operating threshold.
 *
 * @param name the {@code --kind} value
 * @param positiveLabel gold label of the positive class
 * @param negativeLabel gold label of the negative class
 * @param categoryField row field holding the category ({@code kind} for secrets)
 * @param detector builds the detector; {@code threshold} empty means the shipped operating
 *     threshold. Throws {@link Unavailable} when the detector is not built yet.
 */
public record EvalKind(String name, String positiveLabel, String negativeLabel, String categoryField, Factory detector) {

  /** Builds a row detector, optionally at a given threshold. */
  @FunctionalInterface
  public interface Factory {
    RowDetector<?> create(OptionalDouble threshold);
  }

  /**
   * Runs a detector on one row. {@link #input} turns the row into the detector's input (not
   * timed: only {@link #detect} is, as eval_format.md measures the detector alone).
   *
   * @param <I> the detector's input type (a text, a tool object)
   */
  public interface RowDetector<I> {
    I input(JsonNode row);

    Detection detect(I input);
  }

  /** The kind exists but its detector is not available in this build. */
  public static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Unavailable(String kind) {
      super("detector for kind " + kind + " is not available");
    }
  }
}
