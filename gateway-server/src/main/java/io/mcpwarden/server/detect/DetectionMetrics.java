package io.mcpwarden.server.detect;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Binary detection metrics as defined in {@code shared/data/detection/eval_format.md}: recall,
 * false-positive rate, precision, F1 at the operating threshold, ROC-AUC and PR-AUC from the
 * scores, and latency percentiles.
 *
 * <p>Kept apart from the CLI so the training program computes the same figures the evaluation
 * command prints.
 *
 * @param n rows evaluated
 * @param tp true positives
 * @param fp false positives
 * @param tn true negatives
 * @param fn false negatives
 * @param rocAuc area under the ROC curve (ties count one half); NaN with one class only
 * @param prAuc average precision; NaN without positives
 * @param p50Ms median latency
 * @param p99Ms 99th percentile latency (nearest rank)
 */
public record DetectionMetrics(int n, int tp, int fp, int tn, int fn, double rocAuc, double prAuc, double p50Ms, double p99Ms) {

  /** Metrics over {@code items}. */
  public static DetectionMetrics of(List<ScoredItem> items) {
    int tp = 0;
    int fp = 0;
    int tn = 0;
    int fn = 0;
    for (ScoredItem i : items) {
      if (i.positive()) {
        if (i.flagged()) {
          tp++;
        } else {
          fn++;
        }
      } else if (i.flagged()) {
        fp++;
      } else {
        tn++;
      }
    }
    double[] lat = items.stream().mapToDouble(ScoredItem::latencyMs).sorted().toArray();
    return new DetectionMetrics(items.size(), tp, fp, tn, fn, rocAuc(items), prAuc(items),
        percentile(lat, 0.50), percentile(lat, 0.99));
  }

  /** TP / (TP + FN); NaN without positives. */
  public double recall() {
    return ratio(tp, tp + fn);
  }

  /** FP / (FP + TN); NaN without negatives. */
  public double fpr() {
    return ratio(fp, fp + tn);
  }

  /** TP / (TP + FP); NaN when nothing was flagged. */
  public double precision() {
    return ratio(tp, tp + fp);
  }

  /** 2PR / (P + R). */
  public double f1() {
    double p = precision();
    double r = recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** The machine-readable line of eval_format.md. */
  public String line() {
    return String.format(Locale.ROOT, "recall=%s fpr=%s precision=%s f1=%s roc_auc=%s p50_ms=%s p99_ms=%s n=%d",
        fmt(recall(), 3), fmt(fpr(), 3), fmt(precision(), 3), fmt(f1(), 3), fmt(rocAuc, 3),
        fmt(p50Ms, 2), fmt(p99Ms, 2), n);
  }

  /** A plain decimal with {@code digits} places, or {@code nan}. */
  public static String fmt(double v, int digits) {
    return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%." + digits + "f", v);
  }

  private static double ratio(int a, int b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }

  /** Nearest-rank percentile of sorted values; NaN when empty. */
  public static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }

  /** Probability a random positive scores above a random negative (Mann-Whitney, ties 1/2). */
  static double rocAuc(List<ScoredItem> items) {
    ScoredItem[] s = items.toArray(ScoredItem[]::new);
    Arrays.sort(s, Comparator.comparingDouble(ScoredItem::score));
    long pos = items.stream().filter(ScoredItem::positive).count();
    long neg = items.size() - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    double rankSum = 0;
    int i = 0;
    while (i < s.length) {
      int j = i;
      while (j < s.length && s[j].score() == s[i].score()) {
        j++;
      }
      double avgRank = (i + 1 + j) / 2.0; // ranks i+1..j
      for (int k = i; k < j; k++) {
        if (s[k].positive()) {
          rankSum += avgRank;
        }
      }
      i = j;
    }
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  /** Average precision: mean of the precision at each positive, scores descending, ties grouped. */
  static double prAuc(List<ScoredItem> items) {
    ScoredItem[] s = items.toArray(ScoredItem[]::new);
    Arrays.sort(s, Comparator.comparingDouble(ScoredItem::score).reversed());
    long pos = items.stream().filter(ScoredItem::positive).count();
    if (pos == 0) {
      return Double.NaN;
    }
    double ap = 0;
    int tp = 0;
    int seen = 0;
    int i = 0;
    while (i < s.length) {
      int j = i;
      int tiedPos = 0;
      while (j < s.length && s[j].score() == s[i].score()) {
        tiedPos += s[j].positive() ? 1 : 0;
        j++;
      }
      tp += tiedPos;
      seen = j;
      ap += tiedPos * ((double) tp / seen);
      i = j;
    }
    return ap / pos;
  }
}
