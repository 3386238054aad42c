package io.mcpwarden.core.detect.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mcpwarden.core.detect.injection.DetectionData.Row;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The shipped detector on the shared dev set ({@code shared/data/detection/tool-results.jsonl}):
 * at least 95% recall at no more than 2% false positives. Skipped when the data set is not there.
 */
class InjectionDatasetTest {

  @Test
  void meetsTheTargetOnTheDevSet() throws Exception {
    Optional<Path> dir = DetectionData.directory();
    assumeTrue(dir.isPresent(), "shared/data/detection not found: skipped");
    List<Row> rows = DetectionData.toolResults(dir.get().resolve("tool-results.jsonl"));
    assumeTrue(!rows.isEmpty(), "tool-results.jsonl is empty: skipped");

    IndirectInjectionDetector detector = new IndirectInjectionDetector();
    int tp = 0;
    int fn = 0;
    int fp = 0;
    int tn = 0;
    for (Row r : rows) {
      boolean flagged = detector.inspect(r.text()).flagged();
      if (r.injected()) {
        if (flagged) {
          tp++;
        } else {
          fn++;
        }
      } else if (flagged) {
        fp++;
      } else {
        tn++;
      }
    }
    double recall = tp / (double) (tp + fn);
    double fpr = fp / (double) (fp + tn);
    assertThat(recall).as("recall").isGreaterThanOrEqualTo(0.95);
    assertThat(fpr).as("false-positive rate").isLessThanOrEqualTo(0.02);
  }
}
