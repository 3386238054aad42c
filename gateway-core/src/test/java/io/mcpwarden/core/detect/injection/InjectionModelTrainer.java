package io.mcpwarden.core.detect.injection;

import io.mcpwarden.core.detect.injection.DetectionData.Row;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Trains the sentence classifier of {@link IndirectInjectionDetector} from the shared data set and
 * reports dev and grouped cross-validated figures.
 *
 * <p>Why segment labels: an injected row is a clean context plus an inserted attack, so the
 * attack's sentences are found by comparing with the clean context (same source) and become the
 * positive examples; every other sentence is negative. Code inside an attack is left out of
 * training (it is matched by code rules), so ordinary {@code import os} lines never look like
 * attacks. Duplicated sentences are counted once.
 *
 * <pre>
 * usage: InjectionModelTrainer train [MODEL_FILE]   write the model (default: the bundled resource)
 *        InjectionModelTrainer cv                   grouped cross-validation, threshold sweep
 *        InjectionModelTrainer eval                 dev figures and 4 KB latency of the bundled model
 * </pre>
 */
public final class InjectionModelTrainer {
  static final Path BUNDLED =
      Path.of("gateway-core/src/main/resources/io/mcpwarden/core/detect/injection/injection-model.bin");

  // training settings (chosen by the grouped cross-validation below)
  static final int EPOCHS = 8;
  static final double L2 = 3e-5;
  static final double LEARNING_RATE = 0.2;
  static final double POSITIVE_WEIGHT = 4.0;

  private InjectionModelTrainer() {}

  public static void main(String[] args) throws IOException {
    Path dir =
        DetectionData.directory()
            .orElseThrow(() -> new IllegalStateException("shared/data/detection not found"));
    List<Row> rows = DetectionData.toolResults(dir.resolve("tool-results.jsonl"));
    String mode = args.length > 0 ? args[0] : "eval";
    switch (mode) {
      case "train" -> {
        LinearModel model = train(rows, r -> true);
        Path out = args.length > 1 ? Path.of(args[1]) : BUNDLED;
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (OutputStream o = Files.newOutputStream(out)) {
          model.write(o);
        }
        System.out.println("wrote " + out + " (" + Files.size(out) + " bytes)");
      }
      case "cv" -> crossValidate(rows);
      case "latency" -> latency4k(rows, new IndirectInjectionDetector());
      case "spin" -> spin(rows, args[1], Integer.parseInt(args[2]));
      case "eval" -> {
        IndirectInjectionDetector d = new IndirectInjectionDetector();
        report("dev (bundled model)", rows, d, true);
        latency4k(rows, d);
      }
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  // ------------------------------------------------------------------ labels

  /** A training sentence: its features, label and the row it came from. */
  record Example(SegmentFeatures.Vector x, boolean positive, Row row) {}

  /** The original-text range of the inserted attack in an injected row, or null. */
  static int[] attackRange(Row row, Map<String, String> cleanBySource) {
    String base = row.source().split(" \\+ ")[0];
    String clean = cleanBySource.get(base);
    if (clean == null) {
      return null;
    }
    String t = row.text();
    int i = 0;
    int max = Math.min(clean.length(), t.length());
    while (i < max && clean.charAt(i) == t.charAt(i)) {
      i++;
    }
    int j = 0;
    while (j < max - i && clean.charAt(clean.length() - 1 - j) == t.charAt(t.length() - 1 - j)) {
      j++;
    }
    return t.length() - j > i ? new int[] {i, t.length() - j} : null;
  }

  static List<Example> examples(List<Row> all, Predicate<Row> include) {
    Map<String, String> clean = new HashMap<>();
    for (Row r : all) {
      if (!r.injected()) {
        clean.put(r.source(), r.text());
      }
    }
    // attack strings found by diffing, to locate attacks in rows whose clean context is absent
    Set<String> known = new HashSet<>();
    for (Row r : all) {
      if (r.injected()) {
        int[] a = attackRange(r, clean);
        if (a != null) {
          String s = prose(r.text().substring(a[0], a[1])).strip();
          if (s.length() >= 12) {
            known.add(s);
          }
        }
      }
    }
    List<Example> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Row r : all) {
      if (!include.test(r)) {
        continue;
      }
      int[] attack = r.injected() ? attackRange(r, clean) : null;
      if (r.injected() && attack == null) {
        for (String k : known) {
          int at = r.text().indexOf(k);
          if (at >= 0) {
            attack = new int[] {at, at + k.length()};
            break;
          }
        }
        if (attack == null) {
          continue;
        }
      }
      int proseEnd = -1;
      if (attack != null) {
        int fence = r.text().indexOf("```", attack[0]);
        proseEnd = fence >= 0 && fence < attack[1] ? fence : attack[1];
      }
      FoldedText f = FoldedText.of(r.text());
      for (Segments.Segment s : Segments.of(f)) {
        int os = f.originalStart(s.start());
        int oe = f.originalEnd(s.end());
        if (!SegmentFeatures.scorable(f.text(), s.start(), s.end())) {
          continue;
        }
        boolean positive = false;
        if (attack != null && oe > attack[0] && os < attack[1]) {
          if (os >= proseEnd) {
            continue; // code inside the attack: left to the code rules
          }
          int overlap = Math.min(oe, proseEnd) - Math.max(os, attack[0]);
          if (overlap * 2 < oe - os) {
            continue; // a boundary sentence the attack only touches: neither label is right
          }
          positive = true;
        }
        String key = (positive ? "+" : "-") + f.text().substring(s.start(), s.end());
        if (seen.add(key)) {
          out.add(new Example(SegmentFeatures.of(f.text(), s.start(), s.end()), positive, r));
        }
      }
    }
    return out;
  }

  private static String prose(String attack) {
    int fence = attack.indexOf("```");
    return fence >= 0 ? attack.substring(0, fence) : attack;
  }

  // ------------------------------------------------------------------ training

  static LinearModel train(List<Row> rows, Predicate<Row> include) {
    return fit(examples(rows, include));
  }

  /** Logistic regression by AdaGrad with L2, positives up-weighted. Deterministic (fixed seed). */
  static LinearModel fit(List<Example> examples) {
    int d = SegmentFeatures.DIMENSIONS;
    double[] w = new double[d];
    double[] g2 = new double[d];
    double bias = 0;
    double biasG2 = 0;
    Example[] order = examples.toArray(new Example[0]);
    Random random = new Random(42);
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      for (int i = order.length - 1; i > 0; i--) {
        int k = random.nextInt(i + 1);
        Example tmp = order[i];
        order[i] = order[k];
        order[k] = tmp;
      }
      for (Example e : order) {
        int[] idx = e.x().indices();
        double v = e.x().value();
        double z = bias;
        for (int i = 0; i < e.x().size(); i++) {
          z += w[idx[i]] * v;
        }
        double p = 1 / (1 + Math.exp(-z));
        double y = e.positive() ? 1 : 0;
        double g = (p - y) * (e.positive() ? POSITIVE_WEIGHT : 1);
        for (int i = 0; i < e.x().size(); i++) {
          int j = idx[i];
          double grad = g * v + L2 * w[j];
          g2[j] += grad * grad;
          w[j] -= LEARNING_RATE * grad / Math.sqrt(g2[j] + 1e-8);
        }
        biasG2 += g * g;
        bias -= LEARNING_RATE * g / Math.sqrt(biasG2 + 1e-8);
      }
    }
    float[] f = new float[d];
    for (int i = 0; i < d; i++) {
      f[i] = (float) w[i];
    }
    return new LinearModel(f, (float) bias);
  }

  // ------------------------------------------------------------------ evaluation

  /** Grouped cross-validation: by context, by the two context pairs, and by attack type. */
  static void crossValidate(List<Row> rows) {
    List<String> contexts = List.of("bipia-table", "bipia-email", "bipia-code", "docs-page");
    Map<String, Predicate<Row>> folds = new LinkedHashMap<>();
    for (String c : contexts) {
      folds.put("context " + c, r -> r.context().equals(c));
    }
    folds.put("pair table+email -> code+docs", r -> r.context().equals("bipia-code") || r.context().equals("docs-page"));
    folds.put("pair code+docs -> table+email", r -> r.context().equals("bipia-table") || r.context().equals("bipia-email"));
    // attack-type folds: each attack type (with its clean contexts split by source hash) held out once
    List<String> attacks = rows.stream().map(Row::attack).filter(a -> !a.equals("clean")).distinct().sorted().toList();
    int k = 5;
    for (int f = 0; f < k; f++) {
      int fold = f;
      Set<String> held = new HashSet<>();
      for (int i = 0; i < attacks.size(); i++) {
        if (i % k == fold) {
          held.add(attacks.get(i));
        }
      }
      folds.put(
          "attack-types fold " + f,
          r -> r.injected() ? held.contains(r.attack()) : Math.floorMod(r.source().hashCode(), k) == fold);
    }
    Map<String, double[]> pooled = new LinkedHashMap<>();
    for (Map.Entry<String, Predicate<Row>> e : folds.entrySet()) {
      Predicate<Row> test = e.getValue();
      LinearModel model = train(rows, test.negate());
      IndirectInjectionDetector d = new IndirectInjectionDetector(model, IndirectInjectionDetector.DEFAULT_THRESHOLD);
      List<Row> held = rows.stream().filter(test).toList();
      report("cv held-out " + e.getKey(), held, d, false);
      String family = e.getKey().startsWith("attack") ? "attack-type" : e.getKey().startsWith("pair") ? "pair" : "context";
      for (Row r : held) {
        double s = d.inspect(r.text()).score();
        pooled.merge(family + (r.injected() ? "+" : "-"), new double[] {s}, InjectionModelTrainer::concat);
      }
    }
    for (String family : List.of("context", "pair", "attack-type")) {
      double[] pos = pooled.getOrDefault(family + "+", new double[0]);
      double[] neg = pooled.getOrDefault(family + "-", new double[0]);
      System.out.printf(Locale.ROOT, "%n== pooled out-of-fold scores, %s folds: threshold sweep%n", family);
      for (double t = 0.3; t <= 0.901; t += 0.05) {
        System.out.printf(Locale.ROOT, "  t=%.2f recall=%.3f fpr=%.3f%n", t, frac(pos, t), frac(neg, t));
      }
    }
  }

  private static double[] concat(double[] a, double[] b) {
    double[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static double frac(double[] xs, double t) {
    return xs.length == 0 ? 0 : Arrays.stream(xs).filter(x -> x >= t).count() / (double) xs.length;
  }

  /** Prints recall/FPR overall and per category; optionally the false positives and negatives. */
  static void report(String title, List<Row> rows, IndirectInjectionDetector d, boolean details) {
    int tp = 0;
    int fp = 0;
    int tn = 0;
    int fn = 0;
    Map<String, int[]> perCategory = new TreeMap<>();
    double[] latency = new double[rows.size()];
    List<double[]> scored = new ArrayList<>();
    List<String> misses = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      long t0 = System.nanoTime();
      var v = d.inspect(r.text());
      latency[i] = (System.nanoTime() - t0) / 1e6;
      scored.add(new double[] {v.score(), r.injected() ? 1 : 0});
      int[] c = perCategory.computeIfAbsent(r.category(), x -> new int[2]);
      c[0]++;
      if (v.flagged()) {
        c[1]++;
      }
      if (r.injected()) {
        if (v.flagged()) {
          tp++;
        } else {
          fn++;
          misses.add(String.format(Locale.ROOT, "FN %s %.2f %s | %s", r.id(), v.score(), r.category(), v.reasons()));
        }
      } else if (v.flagged()) {
        fp++;
        misses.add(String.format(Locale.ROOT, "FP %s %.2f %s | %s", r.id(), v.score(), r.category(), v.reasons()));
      } else {
        tn++;
      }
    }
    System.out.println("\n== " + title);
    if (details) {
      for (Map.Entry<String, int[]> e : perCategory.entrySet()) {
        boolean clean = e.getKey().endsWith("-clean");
        System.out.printf(Locale.ROOT, "  %-70s n=%4d %s=%.3f%n", e.getKey(), e.getValue()[0], clean ? "fpr" : "recall", e.getValue()[1] / (double) e.getValue()[0]);
      }
      misses.stream().limit(120).forEach(m -> System.out.println("  " + m));
    } else {
      Map<String, int[]> ctx = new TreeMap<>();
      for (Row r : rows) {
        ctx.computeIfAbsent(r.context() + (r.injected() ? " injected" : " clean"), x -> new int[2]);
      }
      for (Map.Entry<String, int[]> e : perCategory.entrySet()) {
        String key = contextOf(e.getKey()) + (e.getKey().endsWith("-clean") ? " clean" : " injected");
        ctx.get(key)[0] += e.getValue()[0];
        ctx.get(key)[1] += e.getValue()[1];
      }
      ctx.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-28s n=%4d %s=%.3f%n", k, v[0], k.endsWith("clean") ? "fpr" : "recall", v[1] / (double) v[0]));
      if (title.contains("attack")) {
        Map<String, int[]> byAttack = new TreeMap<>();
        for (Map.Entry<String, int[]> e : perCategory.entrySet()) {
          String a = e.getKey().substring(contextOf(e.getKey()).length() + 1);
          int[] c = byAttack.computeIfAbsent(a, x -> new int[2]);
          c[0] += e.getValue()[0];
          c[1] += e.getValue()[1];
        }
        byAttack.forEach((k, v) -> System.out.printf(Locale.ROOT, "    %-50s n=%4d flagged=%.3f%n", k, v[0], v[1] / (double) v[0]));
      }
    }
    double recall = tp / (double) Math.max(1, tp + fn);
    double fpr = fp / (double) Math.max(1, fp + tn);
    double precision = tp / (double) Math.max(1, tp + fp);
    double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    Arrays.sort(latency);
    System.out.printf(
        Locale.ROOT,
        "recall=%.3f fpr=%.3f precision=%.3f f1=%.3f roc_auc=%.3f p50_ms=%.2f p99_ms=%.2f n=%d%n",
        recall, fpr, precision, f1, auc(scored), pct(latency, 0.5), pct(latency, 0.99), rows.size());
  }

  private static String contextOf(String category) {
    return category.startsWith("docs-page") ? "docs-page" : category.substring(0, category.indexOf('-', 6));
  }

  static double pct(double[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** ROC AUC by the rank-sum formula, ties counted half. */
  static double auc(List<double[]> scored) {
    double[][] a = scored.toArray(new double[0][]);
    Arrays.sort(a, (x, y) -> Double.compare(x[0], y[0]));
    double rankSum = 0;
    long pos = 0;
    long neg = 0;
    int i = 0;
    while (i < a.length) {
      int j = i;
      while (j < a.length && a[j][0] == a[i][0]) {
        j++;
      }
      double rank = (i + j + 1) / 2.0;
      for (int k = i; k < j; k++) {
        if (a[k][1] == 1) {
          rankSum += rank;
          pos++;
        } else {
          neg++;
        }
      }
      i = j;
    }
    return pos == 0 || neg == 0 ? 0 : (rankSum - pos * (pos + 1) / 2.0) / (pos * (double) neg);
  }

  /**
   * CPU time of examine() per input: 64-character results, 4 KB of benign prose (clean docs pages
   * and e-mails), 4 KB of benign tables, and attack-dense 4 KB (every row in turn, most injected).
   */
  static void latency4k(List<Row> rows, IndirectInjectionDetector d) {
    Map<String, List<String>> sets = new LinkedHashMap<>();
    sets.put("64B benign", chunks(rows.stream().filter(r -> !r.injected()).toList(), 64));
    sets.put("4KB benign prose", chunks(rows.stream().filter(r -> !r.injected() && (r.context().equals("docs-page") || r.context().equals("bipia-email"))).toList(), 4096));
    sets.put("4KB benign table", chunks(rows.stream().filter(r -> !r.injected() && r.context().equals("bipia-table")).toList(), 4096));
    sets.put("4KB attack-dense", chunks(rows, 4096));
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 3; round++) {
      for (List<String> inputs : sets.values()) {
        for (String s : inputs) {
          d.examine(s);
        }
      }
    }
    for (Map.Entry<String, List<String>> e : sets.entrySet()) {
      List<String> inputs = e.getValue();
      int reps = Math.max(1, 2000 / inputs.size());
      double[] ms = new double[inputs.size() * reps];
      double[] cpu = new double[inputs.size() * reps];
      int k = 0;
      for (int r = 0; r < reps; r++) {
        for (String s : inputs) {
          long c0 = threads.getCurrentThreadCpuTime();
          long t0 = System.nanoTime();
          d.examine(s);
          ms[k] = (System.nanoTime() - t0) / 1e6;
          cpu[k++] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
        }
      }
      double mean = Arrays.stream(cpu).average().orElse(0);
      Arrays.sort(ms);
      Arrays.sort(cpu);
      System.out.printf(
          Locale.ROOT,
          "%-18s n=%4d wall p50_ms=%.3f p99_ms=%.3f | cpu mean_ms=%.3f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f | load %.1f on %d cpus%n",
          e.getKey(), inputs.size(), pct(ms, 0.5), pct(ms, 0.99), mean, pct(cpu, 0.5), pct(cpu, 0.99), cpu[cpu.length - 1],
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());
    }
  }

  /** Runs examine() on one input set for {@code seconds} (for a profiler). */
  static void spin(List<Row> rows, String set, int seconds) {
    List<String> inputs = switch (set) {
      case "prose" -> chunks(rows.stream().filter(r -> !r.injected() && (r.context().equals("docs-page") || r.context().equals("bipia-email"))).toList(), 4096);
      case "table" -> chunks(rows.stream().filter(r -> !r.injected() && r.context().equals("bipia-table")).toList(), 4096);
      case "small" -> chunks(rows.stream().filter(r -> !r.injected()).toList(), 64);
      default -> chunks(rows, 4096);
    };
    IndirectInjectionDetector d = new IndirectInjectionDetector();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long n = 0;
    while (System.nanoTime() < end) {
      for (String s : inputs) {
        d.examine(s);
        n++;
      }
    }
    System.out.printf(Locale.ROOT, "%d calls, %.3f ms each%n", n, seconds * 1000.0 / n);
  }

  /** The rows' texts joined by newlines and cut into pieces of {@code size} characters. */
  private static List<String> chunks(List<Row> rows, int size) {
    List<String> out = new ArrayList<>();
    StringBuilder b = new StringBuilder();
    for (Row r : rows) {
      b.append(r.text()).append('\n');
      while (b.length() >= size) {
        out.add(b.substring(0, size));
        b.delete(0, size);
      }
    }
    return out;
  }
}
