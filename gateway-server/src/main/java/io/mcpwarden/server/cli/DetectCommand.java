package io.mcpwarden.server.cli;

import io.mcpwarden.server.detect.Detection;
import io.mcpwarden.server.detect.DetectionMetrics;
import io.mcpwarden.server.detect.EvalKind;
import io.mcpwarden.server.detect.EvalKinds;
import io.mcpwarden.server.detect.ScoredItem;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code mcp-warden detect}: runs the shipped detectors offline, e.g. to evaluate them on a
 * labelled dataset.
 *
 * <p>{@code eval} follows {@code shared/data/detection/eval_format.md}: the detector sees only its
 * input fields, latency is measured warm and single-threaded around the detector call alone, and
 * the last line is machine-readable.
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
    description = "Run the built-in detectors offline (evaluation on labelled JSONL datasets).",
    subcommands = {DetectCommand.Eval.class})
final class DetectCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code detect eval}: metrics of one detector over one labelled dataset. */
  @Command(name = "eval", mixinStandardHelpOptions = true,
      description = {"Evaluate a detector on a labelled JSONL dataset (format: shared/data/detection/eval_format.md).",
        "Prints recall, FPR, precision, F1 overall and per category, ROC-AUC, PR-AUC and warm p50/p99 latency;",
        "the last line is machine-readable. Rows with a missing or unknown label are reported and skipped."})
  static final class Eval implements Callable<Integer> {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @Spec CommandSpec spec;

    @Option(names = "--kind", required = true, paramLabel = "KIND",
        description = "tool-description, tool-result, secret or pii.")
    String kind;

    @Option(names = "--dataset", required = true, paramLabel = "FILE", description = "Labelled JSON Lines file.")
    Path dataset;

    @Option(names = "--threshold", paramLabel = "T", description = "Operating threshold in [0,1] (default: the detector's shipped one).")
    Double threshold;

    @Option(names = "--out", paramLabel = "FILE", description = "Write one {id, score, flagged, latency_ms[, spans]} object per row.")
    Path out;

    /** One row that will be evaluated. */
    private record Row(String id, String category, boolean positive, Object input, JsonNode entities) {}

    @Override
    public Integer call() {
      PrintWriter o = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<EvalKind> k = EvalKinds.named(kind);
      if (k.isEmpty()) {
        err.println("detect eval: unknown kind '" + kind + "' (known: " + EvalKinds.names() + ")");
        return 2;
      }
      if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
        err.println("detect eval: --threshold must be in [0,1]: " + threshold);
        return 2;
      }
      EvalKind.RowDetector<?> detector;
      try {
        detector = k.get().detector().create(threshold == null ? OptionalDouble.empty() : OptionalDouble.of(threshold));
      } catch (EvalKind.Unavailable e) {
        err.println("detect eval: " + e.getMessage());
        return 2;
      }
      List<String> lines;
      try {
        lines = Files.readAllLines(dataset, StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("detect eval: cannot read " + dataset + ": " + e.getMessage());
        return 2;
      }
      return evaluate(k.get(), detector, lines, o, err);
    }

    private <I> int evaluate(EvalKind kind, EvalKind.RowDetector<I> detector, List<String> lines, PrintWriter o, PrintWriter err) {
      List<Row> rows = new ArrayList<>();
      int skipped = 0;
      for (int n = 0; n < lines.size(); n++) {
        String line = lines.get(n);
        if (line.isBlank()) {
          continue;
        }
        JsonNode j;
        try {
          j = JSON.readTree(line);
        } catch (JacksonException e) {
          err.println("skipped line " + (n + 1) + ": not JSON");
          skipped++;
          continue;
        }
        String id = j.path("id").asString("line " + (n + 1));
        JsonNode label = j.get("label");
        if (label == null || !label.isString()) {
          err.println("skipped row " + id + ": missing label");
          skipped++;
          continue;
        }
        boolean positive = label.asString().equals(kind.positiveLabel());
        if (!positive && !label.asString().equals(kind.negativeLabel())) {
          err.println("skipped row " + id + ": unknown label '" + label.asString() + "'");
          skipped++;
          continue;
        }
        rows.add(new Row(id, j.path(kind.categoryField()).asString("(none)"), positive, detector.input(j), j.get("entities")));
      }
      if (rows.isEmpty()) {
        err.println("detect eval: no labelled rows in " + dataset);
        return 2;
      }
      // Warm-up pass so the timed pass measures a warm JVM, as eval_format.md asks.
      for (Row r : rows) {
        @SuppressWarnings("unchecked") I in = (I) r.input();
        detector.detect(in);
      }
      List<ScoredItem> items = new ArrayList<>(rows.size());
      List<Detection> detections = new ArrayList<>(rows.size());
      double[] cpuMs = new double[rows.size()];
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      boolean cpu = threads.isCurrentThreadCpuTimeSupported();
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        @SuppressWarnings("unchecked") I in = (I) r.input();
        long c0 = cpu ? threads.getCurrentThreadCpuTime() : 0;
        long t0 = System.nanoTime();
        Detection d = detector.detect(in);
        double ms = (System.nanoTime() - t0) / 1e6;
        cpuMs[i] = cpu ? (threads.getCurrentThreadCpuTime() - c0) / 1e6 : Double.NaN;
        detections.add(d);
        items.add(new ScoredItem(r.id(), r.category(), r.positive(), d.score(), d.flagged(), ms));
      }
      if (out != null && !writeOut(items, detections, err)) {
        return 2;
      }
      Arrays.sort(cpuMs);
      print(kind, rows, items, detections, skipped, cpuMs, o);
      return 0;
    }

    private void print(EvalKind kind, List<Row> rows, List<ScoredItem> items, List<Detection> detections, int skipped,
        double[] cpuMs, PrintWriter o) {
      DetectionMetrics m = DetectionMetrics.of(items);
      o.printf(Locale.ROOT, "detector %s on %s: %d rows evaluated, %d skipped%n", kind.name(), dataset, items.size(), skipped);
      o.printf(Locale.ROOT, "recall %s @ FPR %s  precision %s  F1 %s  (tp %d, fp %d, tn %d, fn %d)%n",
          f(m.recall()), f(m.fpr()), f(m.precision()), f(m.f1()), m.tp(), m.fp(), m.tn(), m.fn());
      o.printf(Locale.ROOT, "ROC-AUC %s  PR-AUC %s (threshold-free)%n", f(m.rocAuc()), f(m.prAuc()));
      o.printf(Locale.ROOT, "latency per item (warm, single thread): p50 %s ms  p99 %s ms%n",
          DetectionMetrics.fmt(m.p50Ms(), 2), DetectionMetrics.fmt(m.p99Ms(), 2));
      // Wall time is the measure; thread CPU time shows how much of it was waiting for a core.
      o.printf(Locale.ROOT, "thread CPU time per item: p50 %s ms  p99 %s ms (%d available processors)%n",
          DetectionMetrics.fmt(DetectionMetrics.percentile(cpuMs, 0.50), 2), DetectionMetrics.fmt(DetectionMetrics.percentile(cpuMs, 0.99), 2),
          Runtime.getRuntime().availableProcessors());
      Map<String, List<ScoredItem>> byCategory = new TreeMap<>();
      for (ScoredItem i : items) {
        byCategory.computeIfAbsent(i.category(), c -> new ArrayList<>()).add(i);
      }
      o.println();
      o.printf(Locale.ROOT, "%-40s %6s %6s %8s %8s %9s %6s%n", "per " + kind.categoryField(), "n", "class", "recall", "fpr", "precision", "f1");
      for (Map.Entry<String, List<ScoredItem>> e : byCategory.entrySet()) {
        DetectionMetrics c = DetectionMetrics.of(e.getValue());
        long pos = e.getValue().stream().filter(ScoredItem::positive).count();
        String cls = pos == e.getValue().size() ? "pos" : pos == 0 ? "neg" : "mixed";
        o.printf(Locale.ROOT, "%-40s %6d %6s %8s %8s %9s %6s%n", e.getKey(), c.n(), cls, dash(c.recall()), dash(c.fpr()),
            dash(c.precision()), pos == 0 ? "-" : f(c.f1()));
      }
      printSpans(rows, detections, o);
      o.println();
      o.println(m.line());
    }

    /** Entity-level recall and precision per type, when the detector returns spans and rows have entities. */
    private static void printSpans(List<Row> rows, List<Detection> detections, PrintWriter o) {
      boolean any = detections.stream().anyMatch(d -> !d.spans().isEmpty())
          && rows.stream().anyMatch(r -> r.entities() instanceof ArrayNode);
      if (!any) {
        return;
      }
      Map<String, int[]> perType = new TreeMap<>(); // gold, found, predicted, correct
      for (int i = 0; i < rows.size(); i++) {
        List<Detection.Span> gold = new ArrayList<>();
        if (rows.get(i).entities() instanceof ArrayNode a) {
          for (JsonNode e : a) {
            gold.add(new Detection.Span(e.path("type").asString(""), e.path("start").asInt(), e.path("end").asInt()));
          }
        }
        List<Detection.Span> predicted = detections.get(i).spans();
        for (Detection.Span g : gold) {
          int[] c = perType.computeIfAbsent(g.type().toUpperCase(Locale.ROOT), t -> new int[4]);
          c[0]++;
          if (predicted.stream().anyMatch(p -> overlaps(p, g))) {
            c[1]++;
          }
        }
        for (Detection.Span p : predicted) {
          int[] c = perType.computeIfAbsent(p.type().toUpperCase(Locale.ROOT), t -> new int[4]);
          c[2]++;
          if (gold.stream().anyMatch(g -> overlaps(p, g))) {
            c[3]++;
          }
        }
      }
      o.println();
      o.printf(Locale.ROOT, "%-40s %6s %8s %9s %9s%n", "spans per type", "gold", "recall", "predicted", "precision");
      for (Map.Entry<String, int[]> e : perType.entrySet()) {
        int[] c = e.getValue();
        o.printf(Locale.ROOT, "%-40s %6d %8s %9d %9s%n", e.getKey(), c[0], c[0] == 0 ? "-" : f((double) c[1] / c[0]),
            c[2], c[2] == 0 ? "-" : f((double) c[3] / c[2]));
      }
    }

    /** Overlapping spans of the same type (case-insensitive). */
    private static boolean overlaps(Detection.Span p, Detection.Span g) {
      return p.type().equalsIgnoreCase(g.type()) && p.start() < g.end() && g.start() < p.end();
    }

    private boolean writeOut(List<ScoredItem> items, List<Detection> detections, PrintWriter err) {
      try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
        for (int i = 0; i < items.size(); i++) {
          ScoredItem it = items.get(i);
          ObjectNode row = JSON.createObjectNode();
          row.put("id", it.id());
          row.put("score", round(it.score(), 6));
          row.put("flagged", it.flagged());
          row.put("latency_ms", round(it.latencyMs(), 4));
          if (!detections.get(i).spans().isEmpty()) {
            ArrayNode spans = row.putArray("spans");
            for (Detection.Span s : detections.get(i).spans()) {
              spans.addObject().put("type", s.type()).put("start", s.start()).put("end", s.end());
            }
          }
          w.write(JSON.writeValueAsString(row));
          w.newLine();
        }
        return true;
      } catch (IOException e) {
        err.println("detect eval: cannot write " + out + ": " + e.getMessage());
        return false;
      }
    }

    private static double round(double v, int digits) {
      double f = Math.pow(10, digits);
      return Math.round(v * f) / f;
    }

    private static String f(double v) {
      return DetectionMetrics.fmt(v, 3);
    }

    private static String dash(double v) {
      return Double.isNaN(v) ? "-" : f(v);
    }
  }
}
