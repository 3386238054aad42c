package io.mcpwarden.server.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionMetricsTest {
  private static ScoredItem item(boolean positive, double score, double threshold, double ms) {
    return new ScoredItem("i", "c", positive, score, score >= threshold, ms);
  }

  @Test
  void countsRatesAucAndPercentiles() {
    List<ScoredItem> items = List.of(
        item(true, 0.9, 0.5, 1), item(true, 0.6, 0.5, 2), item(true, 0.4, 0.5, 3),
        item(false, 0.7, 0.5, 4), item(false, 0.2, 0.5, 5), item(false, 0.1, 0.5, 100));
    DetectionMetrics m = DetectionMetrics.of(items);
    assertThat(m.tp()).isEqualTo(2);
    assertThat(m.fn()).isEqualTo(1);
    assertThat(m.fp()).isEqualTo(1);
    assertThat(m.recall()).isCloseTo(2 / 3.0, within(1e-9));
    assertThat(m.fpr()).isCloseTo(1 / 3.0, within(1e-9));
    // 9 positive/negative pairs, 7 ordered correctly.
    assertThat(m.rocAuc()).isCloseTo(7 / 9.0, within(1e-9));
    // Precision at each positive, scores descending: 1/1, 2/3, 3/4.
    assertThat(m.prAuc()).isCloseTo((1 + 2 / 3.0 + 3 / 4.0) / 3, within(1e-9));
    assertThat(m.p50Ms()).isEqualTo(3);
    assertThat(m.p99Ms()).isEqualTo(100);
    assertThat(m.line()).isEqualTo("recall=0.667 fpr=0.333 precision=0.667 f1=0.667 roc_auc=0.778 p50_ms=3.00 p99_ms=100.00 n=6");
  }

  @Test
  void tiesCountHalfAndOneClassHasNoAuc() {
    assertThat(DetectionMetrics.of(List.of(item(true, 0.5, 0.5, 1), item(false, 0.5, 0.5, 1))).rocAuc()).isEqualTo(0.5);
    DetectionMetrics onlyNegatives = DetectionMetrics.of(List.of(item(false, 0.1, 0.5, 1)));
    assertThat(onlyNegatives.rocAuc()).isNaN();
    assertThat(onlyNegatives.line()).contains("recall=nan").contains("precision=nan");
  }
}
