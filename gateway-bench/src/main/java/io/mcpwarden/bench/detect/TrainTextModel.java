package io.mcpwarden.bench.detect;

import io.mcpwarden.core.detect.poison.LayeredPoisoningDetector;
import io.mcpwarden.core.detect.text.FeatureSpec;
import io.mcpwarden.core.detect.text.HashedFeaturizer;
import io.mcpwarden.core.detect.text.LinearModel;
import io.mcpwarden.core.detect.text.SparseVector;
import io.mcpwarden.core.detect.text.TextNormaliser;
import io.mcpwarden.server.detect.DetectionMetrics;
import io.mcpwarden.server.detect.EvalKinds;
import io.mcpwarden.server.detect.ScoredItem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.DoubleBinaryOperator;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Trains a {@link LinearModel} (logistic regression over hashed n-grams) from a labelled JSONL
 * detection dataset, reports cross-validated figures held out by source, proposes an operating
 * threshold, and writes the model resource.
 *
 * <p>Cross-validation holds out whole sources (for synthetic rows: whole payload templates), so
 * the figure says how the detector does on text from places it never saw, which is what the
 * hidden hold-out measures. Usage (see docs/detection.md):
 *
 * <pre>
 * java -cp gateway-bench/target/warden-bench.jar io.mcpwarden.bench.detect.TrainTextModel \
 *   --kind tool-description --dataset ../shared/data/detection/tool-descriptions.jsonl \
 *   --out gateway-core/src/main/resources/io/mcpwarden/core/detect/text/models/tool-description.lm.gz
 * </pre>
 */
public final class TrainTextModel {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Pattern TEMPLATE = Pattern.compile("payload template \"([^\"]+)\"");

  /**
   * How one dataset kind turns a row into classifier text and a rule score. The detector's score
   * is {@code 1 - (1 - rules) * (1 - classifier)}, as in {@link LayeredPoisoningDetector}.
   */
  record Kind(String positiveLabel, String negativeLabel, Function<JsonNode, String> text,
      ToDoubleFunction<JsonNode> ruleScore, DoubleBinaryOperator combine) {}

  private static final LayeredPoisoningDetector RULES = new LayeredPoisoningDetector(Optional.empty(), 0.5);

  /** Kinds this program trains; other detectors add a line (their rule score, or 0 for none). */
  private static final Map<String, Kind> KINDS = Map.of(
      "tool-description", new Kind("malicious", "benign",
          row -> LayeredPoisoningDetector.classifierText(tool(row)),
          row -> RULES.assess(tool(row)).ruleScore(),
          LayeredPoisoningDetector::combine),
      "tool-result", new Kind("injected", "benign",
          row -> TextNormaliser.normalise(row.path("text").asString("")).inspectable(),
          row -> 0.0,
          (rules, classifier) -> classifier));

  private TrainTextModel() {}

  /** The MCP Tool object a tool-descriptions row stands for (as the evaluation command builds it). */
  public static ObjectNode tool(JsonNode row) {
    return EvalKinds.tool(row);
  }

  record Row(String id, String category, String sourceGroup, String familyGroup, boolean positive, SparseVector x, double rules) {}

  private static DoubleBinaryOperator combiner = LayeredPoisoningDetector::combine;

  /** Cross-validation protocols: hold out whole sources, or whole attack families. */
  enum Protocol {
    /** Groups = the repository or server a row comes from (synthetic rows: their base tool's). */
    SOURCE,
    /** Groups = attack family (payload template; the malicious-capability source); benign by source. */
    FAMILY
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> opt = options(args);
    String kindName = opt.getOrDefault("kind", "tool-description");
    Kind kind = KINDS.get(kindName);
    if (kind == null || !opt.containsKey("dataset")) {
      System.err.println("usage: TrainTextModel --kind " + String.join("|", KINDS.keySet())
          + " --dataset FILE.jsonl [--out MODEL.lm.gz] [--cv source|family] [--threshold T] [--scan 1] [--folds 5] [--epochs 12] [--l2 1e-4] [--max-fpr 0.01]");
      System.exit(2);
    }
    combiner = kind.combine();
    int folds = Integer.parseInt(opt.getOrDefault("folds", "5"));
    int epochs = Integer.parseInt(opt.getOrDefault("epochs", "12"));
    double l2 = Double.parseDouble(opt.getOrDefault("l2", "1e-4"));
    double maxFpr = Double.parseDouble(opt.getOrDefault("max-fpr", "0.01"));
    HashedFeaturizer featurizer = new HashedFeaturizer(FeatureSpec.STANDARD);

    List<Row> rows = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(opt.get("dataset")), StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode j = JSON.readTree(line);
      String label = j.path("label").asString("");
      if (!label.equals(kind.positiveLabel()) && !label.equals(kind.negativeLabel())) {
        System.err.println("skipped row " + j.path("id").asString("?") + ": label '" + label + "'");
        continue;
      }
      String source = j.path("source").asString("?");
      rows.add(new Row(j.path("id").asString(""), j.path("category").asString(j.path("kind").asString("?")),
          sourceGroup(source), familyGroup(source), label.equals(kind.positiveLabel()),
          featurizer.featurize(kind.text().apply(j)), kind.ruleScore().applyAsDouble(j)));
    }
    System.out.printf(Locale.ROOT, "%d rows, %d positive%n", rows.size(), rows.stream().filter(Row::positive).count());

    Protocol chooseOn = Protocol.valueOf(opt.getOrDefault("cv", "source").toUpperCase(Locale.ROOT));
    double threshold = Double.NaN;
    for (Protocol protocol : List.of(chooseOn, chooseOn == Protocol.SOURCE ? Protocol.FAMILY : Protocol.SOURCE)) {
      double[][] oof = crossValidate(rows, protocol, folds, epochs, l2, kindName);
      if (opt.containsKey("dump")) {
        // Per-row out-of-fold parts, for choosing how to combine rules and classifier offline.
        List<String> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
          Row r = rows.get(i);
          out.add(String.format(Locale.ROOT, "{\"id\":\"%s\",\"category\":\"%s\",\"positive\":%s,\"rules\":%.6f,\"classifier\":%.6f}",
              r.id(), r.category(), r.positive(), oof[1][i], oof[2][i]));
        }
        Files.write(Path.of(opt.get("dump") + "." + protocol.name().toLowerCase(Locale.ROOT) + ".jsonl"), out);
      }
      if (Double.isNaN(threshold) && opt.containsKey("threshold")) {
        threshold = Double.parseDouble(opt.get("threshold"));
        System.out.printf(Locale.ROOT, "%nreporting at the given threshold %.2f (proposed by %s: %.2f)%n", threshold,
            protocol.name().toLowerCase(Locale.ROOT), chooseThreshold(rows, oof[0], maxFpr));
      } else if (Double.isNaN(threshold)) {
        threshold = chooseThreshold(rows, oof[0], maxFpr);
        System.out.printf(Locale.ROOT, "%nproposed operating threshold (cross-validated by %s, FPR <= %.3f): %.2f%n",
            protocol.name().toLowerCase(Locale.ROOT), maxFpr, threshold);
      }
      String name = "cv by " + protocol.name().toLowerCase(Locale.ROOT);
      System.out.println();
      report(name + ": rules+classifier", rows, oof[0], threshold);
      report(name + ": rules only", rows, oof[1], threshold);
      report(name + ": classifier only", rows, oof[2], threshold);
      perCategory(name + ": rules+classifier", rows, oof[0], threshold);
      if (opt.containsKey("scan")) {
        scan(rows, oof, maxFpr, name);
      }
    }

    LinearModel full = train(rows, FeatureSpec.STANDARD, epochs, l2, kindName);
    double[] dev = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      dev[i] = combine(rows.get(i).rules(), full.probability(rows.get(i).x()));
    }
    report("in-sample (trained on the dev set) rules+classifier", rows, dev, threshold);
    perCategory("in-sample", rows, dev, threshold);
    if (opt.containsKey("out")) {
      Path out = Path.of(opt.get("out"));
      Files.createDirectories(out.toAbsolutePath().getParent());
      try (OutputStream os = Files.newOutputStream(out)) {
        full.write(os);
      }
      System.out.printf(Locale.ROOT, "wrote %s (%d bytes)%n", out, Files.size(out));
    }
  }

  /** Out-of-fold scores: [combined, rules only, classifier only]. */
  static double[][] crossValidate(List<Row> rows, Protocol protocol, int folds, int epochs, double l2, String name) {
    int[] foldOf = assignFolds(rows, protocol, folds);
    double[][] oof = new double[3][rows.size()];
    for (int f = 0; f < folds; f++) {
      List<Row> train = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        if (foldOf[i] != f) {
          train.add(rows.get(i));
        }
      }
      LinearModel m = train(train, FeatureSpec.STANDARD, epochs, l2, name);
      for (int i = 0; i < rows.size(); i++) {
        if (foldOf[i] == f) {
          double p = m.probability(rows.get(i).x());
          oof[0][i] = combine(rows.get(i).rules(), p);
          oof[1][i] = rows.get(i).rules();
          oof[2][i] = p;
        }
      }
    }
    return oof;
  }

  /** Operating points for classifier weights: how much the classifier should count. */
  private static void scan(List<Row> rows, double[][] oof, double maxFpr, String name) {
    for (double alpha : new double[] {1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.0}) {
      double[] s = new double[rows.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = 1 - (1 - oof[1][i]) * (1 - alpha * oof[2][i]);
      }
      double th = chooseThreshold(rows, s, maxFpr);
      DetectionMetrics m = DetectionMetrics.of(items(rows, s, th));
      DetectionMetrics at50 = DetectionMetrics.of(items(rows, s, 0.5));
      System.out.printf(Locale.ROOT, "  scan %s alpha=%.1f th=%.2f recall=%.3f fpr=%.3f auc=%.3f | th=0.50 recall=%.3f fpr=%.3f%n",
          name, alpha, th, m.recall(), m.fpr(), m.rocAuc(), at50.recall(), at50.fpr());
    }
  }

  static double combine(double rules, double classifier) {
    return combiner.applyAsDouble(rules, classifier);
  }

  /** Attack family of a synthetic row (its payload template), otherwise the row's source group. */
  static String familyGroup(String source) {
    Matcher m = TEMPLATE.matcher(source);
    return m.find() ? "template:" + m.group(1) : sourceGroup(source);
  }

  /**
   * The repository or server a row comes from; for a synthetic row, that of the real tool the
   * payload was injected into.
   */
  static String sourceGroup(String source) {
    int of = source.startsWith("steering-synthetic") ? source.indexOf(" of ") : -1;
    if (of >= 0) {
      source = source.substring(of + 4);
    }
    int hash = source.indexOf('#');
    if (hash >= 0) {
      int slash = source.indexOf('/', hash);
      return source.substring(0, slash > 0 ? slash : source.length());
    }
    int colon = source.indexOf(':');
    return colon > 0 ? source.substring(0, colon) : source;
  }

  /** Whole groups to folds, largest first into the currently smallest fold (deterministic). */
  static int[] assignFolds(List<Row> rows, Protocol protocol, int folds) {
    Map<String, List<Integer>> groups = new TreeMap<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      String g = protocol == Protocol.SOURCE ? r.sourceGroup() : r.familyGroup();
      groups.computeIfAbsent(g, k -> new ArrayList<>()).add(i);
    }
    List<List<Integer>> ordered = new ArrayList<>(groups.values());
    ordered.sort(Comparator.comparingInt((List<Integer> g) -> g.size()).reversed());
    int[] size = new int[folds];
    int[] pos = new int[folds];
    int[] foldOf = new int[rows.size()];
    for (List<Integer> g : ordered) {
      long positives = g.stream().filter(i -> rows.get(i).positive()).count();
      int best = 0;
      for (int f = 1; f < folds; f++) {
        // Balance positives and negatives separately so every fold has both.
        int[] by = positives * 2 > g.size() ? pos : size;
        if (by[f] < by[best]) {
          best = f;
        }
      }
      for (int i : g) {
        foldOf[i] = best;
        if (rows.get(i).positive()) {
          pos[best]++;
        } else {
          size[best]++;
        }
      }
    }
    return foldOf;
  }

  /** Logistic regression with AdaGrad, class-balanced, L2 on touched weights. */
  static LinearModel train(List<Row> rows, FeatureSpec spec, int epochs, double l2, String name) {
    int dims = spec.dimensions();
    double[] w = new double[dims];
    double[] g2 = new double[dims];
    double bias = 0;
    double bias2 = 0;
    long npos = rows.stream().filter(Row::positive).count();
    long nneg = rows.size() - npos;
    double wPos = rows.size() / (2.0 * Math.max(1, npos));
    double wNeg = rows.size() / (2.0 * Math.max(1, nneg));
    double lr = 0.5;
    List<Row> order = new ArrayList<>(rows);
    Random rnd = new Random(42);
    for (int e = 0; e < epochs; e++) {
      java.util.Collections.shuffle(order, rnd);
      for (Row r : order) {
        SparseVector x = r.x();
        double z = bias;
        for (int k = 0; k < x.size(); k++) {
          z += w[x.indices()[k]] * x.values()[k];
        }
        double p = 1 / (1 + Math.exp(-z));
        double err = (p - (r.positive() ? 1 : 0)) * (r.positive() ? wPos : wNeg);
        for (int k = 0; k < x.size(); k++) {
          int j = x.indices()[k];
          double g = err * x.values()[k] + l2 * w[j];
          g2[j] += g * g;
          w[j] -= lr * g / (1e-8 + Math.sqrt(g2[j]));
        }
        bias2 += err * err;
        bias -= lr * err / (1e-8 + Math.sqrt(bias2));
      }
    }
    float[] wf = new float[dims];
    for (int j = 0; j < dims; j++) {
      wf[j] = (float) w[j];
    }
    return LinearModel.of(name, spec, (float) bias, wf);
  }

  /**
   * Highest recall with FPR at most {@code maxFpr}; on a plateau of equal recall, the middle of it
   * (margin on both sides).
   */
  static double chooseThreshold(List<Row> rows, double[] scores, double maxFpr) {
    double bestRecall = -1;
    List<Double> plateau = new ArrayList<>();
    for (int t = 5; t <= 95; t++) {
      double th = t / 100.0;
      DetectionMetrics m = DetectionMetrics.of(items(rows, scores, th));
      if (m.fpr() > maxFpr) {
        continue;
      }
      if (m.recall() > bestRecall + 1e-12) {
        bestRecall = m.recall();
        plateau.clear();
      }
      if (Math.abs(m.recall() - bestRecall) < 1e-12) {
        plateau.add(th);
      }
    }
    return plateau.isEmpty() ? 0.95 : plateau.get(plateau.size() / 2);
  }

  static List<ScoredItem> items(List<Row> rows, double[] scores, double threshold) {
    List<ScoredItem> items = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      items.add(new ScoredItem(r.id(), r.category(), r.positive(), scores[i], scores[i] >= threshold, 0));
    }
    return items;
  }

  private static void report(String title, List<Row> rows, double[] scores, double threshold) {
    DetectionMetrics m = DetectionMetrics.of(items(rows, scores, threshold));
    System.out.printf(Locale.ROOT, "%-55s recall=%s fpr=%s precision=%s f1=%s roc_auc=%s pr_auc=%s (tp=%d fp=%d tn=%d fn=%d)%n",
        title, DetectionMetrics.fmt(m.recall(), 3), DetectionMetrics.fmt(m.fpr(), 3), DetectionMetrics.fmt(m.precision(), 3),
        DetectionMetrics.fmt(m.f1(), 3), DetectionMetrics.fmt(m.rocAuc(), 3), DetectionMetrics.fmt(m.prAuc(), 3),
        m.tp(), m.fp(), m.tn(), m.fn());
  }

  private static void perCategory(String title, List<Row> rows, double[] scores, double threshold) {
    Map<String, List<ScoredItem>> by = new TreeMap<>();
    List<ScoredItem> all = items(rows, scores, threshold);
    for (ScoredItem i : all) {
      by.computeIfAbsent(i.category(), c -> new ArrayList<>()).add(i);
    }
    System.out.println("  per category (" + title + "):");
    for (Map.Entry<String, List<ScoredItem>> e : by.entrySet()) {
      DetectionMetrics m = DetectionMetrics.of(e.getValue());
      boolean positive = e.getValue().get(0).positive();
      System.out.printf(Locale.ROOT, "    %-34s n=%4d %s%n", e.getKey(), m.n(),
          positive ? "recall=" + DetectionMetrics.fmt(m.recall(), 3) : "fpr=" + DetectionMetrics.fmt(m.fpr(), 3));
    }
    System.out.println("  misses and false alarms:");
    for (ScoredItem i : all) {
      if (i.positive() != i.flagged()) {
        System.out.printf(Locale.ROOT, "    %s %-8s %.3f %s%n", i.positive() ? "FN" : "FP", i.id(), i.score(), i.category());
      }
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opt = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option, got " + args[i]);
      }
      opt.put(args[i].substring(2), args[i + 1]);
    }
    return opt;
  }
}
