package io.mcpwarden.core.detect.injection;

import io.mcpwarden.core.detect.InjectionDetector;
import io.mcpwarden.core.detect.Verdict;
import io.mcpwarden.core.detect.injection.Rule.Hit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Detects indirect prompt injection in text the model will read (tool results, resources, prompt
 * messages, sampling requests) in three layers: folding (invisible characters, look-alikes,
 * encoded payloads), hand-written rules for known injection shapes, and an offline
 * logistic-regression classifier scoring each sentence.
 *
 * <p>Why sentence by sentence: injections are planted inside honest data, so each segment is
 * scored alone and the offending segments become the {@link Span}s a redaction removes. The
 * document score combines the rule evidence and the most suspicious sentence (noisy-or); it is
 * flagged at {@link #DEFAULT_THRESHOLD}, chosen by cross-validation grouped by data source (see
 * docs/detection.md). Instances are immutable and thread-safe.
 */
public final class IndirectInjectionDetector implements InjectionDetector {
  /** The operating threshold the gateway ships with. */
  public static final double DEFAULT_THRESHOLD = 0.65;

  /** Longer texts are inspected at their head and tail only, so the cost per result stays bounded. */
  static final int MAX_INSPECTED_CHARS = 256 * 1024;

  /** Extra evidence when an instruction is hidden from human readers (comments, invisible chars). */
  private static final double HIDDEN_WEIGHT = 0.3;

  /** Rules also tried on reversed text: the shapes a "reply backwards" payload would carry. */
  private static final RuleSet REVERSIBLE =
      new RuleSet(
          InjectionRules.LANGUAGE.stream()
              .filter(r -> r.name().startsWith("ignore-instructions") || r.name().equals("exfiltration"))
              .toList());

  /**
   * All rules, compiled once: one literal scan per text gates them all. The scan also watches for
   * the reversible rules' start literals written backwards: only a text holding one is reversed.
   */
  private static final RuleSet ALL =
      new RuleSet(
          concat(InjectionRules.LANGUAGE, InjectionRules.CODE),
          REVERSIBLE.reversedStarts() == null ? List.of() : REVERSIBLE.reversedStarts());

  /** A reversible rule without start literals: every text is reversed. */
  private static final boolean ALWAYS_REVERSE = REVERSIBLE.reversedStarts() == null;

  /** The language rules alone, for decoded payloads. */
  private static final RuleSet LANGUAGE = new RuleSet(InjectionRules.LANGUAGE);

  private static List<Rule> concat(List<Rule> a, List<Rule> b) {
    List<Rule> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  private final LinearModel model;
  private final double threshold;

  /** The shipped detector: bundled model, default threshold. */
  public IndirectInjectionDetector() {
    this(LinearModel.bundled(), DEFAULT_THRESHOLD);
  }

  IndirectInjectionDetector(LinearModel model, double threshold) {
    this.model = model;
    this.threshold = threshold;
  }

  /** The shipped model at another threshold (evaluation, stricter or looser servers). */
  public IndirectInjectionDetector withThreshold(double threshold) {
    return new IndirectInjectionDetector(model, threshold);
  }

  public double threshold() {
    return threshold;
  }

  @Override
  public Verdict inspect(String text) {
    return examine(text).verdict();
  }

  /** The offending spans of {@code text}, in order and not overlapping; empty when clean. */
  public List<Span> spans(String text) {
    return examine(text).spans();
  }

  /** Verdict and spans in one pass. */
  public InjectionFinding examine(String text) {
    if (text.length() > MAX_INSPECTED_CHARS) {
      return examineLong(text);
    }
    FoldedText folded = FoldedText.of(text);
    Evidence evidence = new Evidence(folded);
    evidence.collect();
    return evidence.finish();
  }

  private InjectionFinding examineLong(String text) {
    int half = MAX_INSPECTED_CHARS / 2;
    InjectionFinding head = examine(text.substring(0, half));
    int tailStart = text.length() - half;
    InjectionFinding tail = examine(text.substring(tailStart));
    List<Span> spans = new ArrayList<>(head.spans());
    tail.spans().forEach(s -> spans.add(new Span(s.start() + tailStart, s.end() + tailStart, s.reason())));
    double score = Math.max(head.verdict().score(), tail.verdict().score());
    List<String> reasons = new ArrayList<>(head.verdict().reasons());
    tail.verdict().reasons().stream().filter(r -> !reasons.contains(r)).forEach(reasons::add);
    reasons.add("inspected head and tail of " + text.length() + " chars");
    return new InjectionFinding(new Verdict(score, score >= threshold, reasons), spans);
  }

  /** Everything found in one text, in folded coordinates until {@link #finish()}. */
  private final class Evidence {
    private final FoldedText folded;
    private final List<Segments.Segment> segments;
    private final double[] segmentRule;
    private final double[] segmentModel;
    private final Map<String, Double> ruleWeights = new HashMap<>();
    private final List<Hit> hits = new ArrayList<>();
    private final List<Span> encodedSpans = new ArrayList<>();
    private double encodedScore;
    private boolean hidden;

    Evidence(FoldedText folded) {
      this.folded = folded;
      this.segments = Segments.of(folded);
      this.segmentRule = new double[segments.size()];
      this.segmentModel = new double[segments.size()];
    }

    void collect() {
      String t = folded.text();
      if (ALL.anyWatched(ALL.findAll(t, this::addHit)) || ALWAYS_REVERSE) {
        reversed(t);
      }
      for (int i = 0; i < segments.size(); i++) {
        Segments.Segment s = segments.get(i);
        if (SegmentFeatures.scorable(t, s.start(), s.end())) {
          segmentModel[i] = model.probability(SegmentFeatures.of(t, s.start(), s.end()));
        }
      }
      StandaloneRequests.find(t, r -> addHit(new Hit(StandaloneRequests.RULE, r[0], r[1])));
      encoded();
      hidden = folded.hiddenCharacters() > 0 || hiddenComment(t);
    }

    private void addHit(Hit hit) {
      int first = segmentAt(hit.start());
      int last = segmentAt(Math.max(hit.start(), hit.end() - 1));
      double weight = hit.rule().weight();
      if (first >= 0 && Mentions.quotedExample(folded.text(), segments.get(first), hit.start(), hit.end())) {
        weight *= Mentions.DAMPING;
      }
      hits.add(hit);
      ruleWeights.merge(hit.rule().name(), weight, Math::max);
      for (int i = Math.max(0, first); i <= last && i >= 0; i++) {
        segmentRule[i] = 1 - (1 - segmentRule[i]) * (1 - weight);
      }
    }

    private void reversed(String t) {
      String r = new StringBuilder(t).reverse().toString();
      int n = t.length();
      REVERSIBLE.findAll(
          r,
          h -> {
            Rule renamed = new Rule.Phrase("reversed-text:" + h.rule().name(), h.rule().weight(), "x");
            addHit(new Hit(renamed, n - h.end(), n - h.start()));
          });
    }

    private void encoded() {
      for (EncodedPayloads.Payload p : EncodedPayloads.find(folded.original())) {
        FoldedText inner = FoldedText.of(p.decoded());
        double best = 0;
        String why = "classifier";
        List<Hit> innerHits = new ArrayList<>();
        LANGUAGE.findAll(inner.text(), innerHits::add);
        for (Hit h : innerHits) {
          if (h.rule().weight() > best) {
            best = h.rule().weight();
            why = h.rule().name();
          }
        }
        for (Segments.Segment s : Segments.of(inner)) {
          if (!SegmentFeatures.scorable(inner.text(), s.start(), s.end())) {
            continue;
          }
          double p2 = model.probability(SegmentFeatures.of(inner.text(), s.start(), s.end()));
          if (p2 > best) {
            best = p2;
            why = "classifier";
          }
        }
        if (best >= threshold) {
          // an encoded instruction is itself a strong sign: honest results rarely hide prose
          double w = Math.min(0.99, 1 - (1 - best) * 0.5);
          encodedScore = Math.max(encodedScore, w);
          ruleWeights.merge(p.encoding() + ":" + why, w, Math::max);
          encodedSpans.add(new Span(p.start(), p.end(), p.encoding() + ":" + why));
        }
      }
    }

    private int segmentAt(int pos) {
      int lo = 0;
      int hi = segments.size() - 1;
      int found = -1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (segments.get(mid).start() <= pos) {
          found = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return found;
    }

    InjectionFinding finish() {
      double rules = 0;
      for (double w : ruleWeights.values()) {
        rules = 1 - (1 - rules) * (1 - w);
      }
      double best = 0;
      for (double p : segmentModel) {
        best = Math.max(best, p);
      }
      double score = 1 - (1 - rules) * (1 - best);
      if (hidden && rules > 0) {
        score = 1 - (1 - score) * (1 - HIDDEN_WEIGHT);
      }
      score = Math.min(1.0, Math.max(0.0, score));
      boolean flagged = score >= threshold;
      List<String> reasons = reasons(best, flagged);
      List<Span> spans = flagged ? spans() : List.of();
      return new InjectionFinding(new Verdict(score, flagged, reasons), spans);
    }

    private List<String> reasons(double best, boolean flagged) {
      List<String> out = new ArrayList<>();
      ruleWeights.entrySet().stream()
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .limit(8)
          .forEach(e -> out.add(e.getKey()));
      if (best >= 0.05) {
        out.add(String.format(Locale.ROOT, "classifier=%.2f", best));
      }
      if (hidden && !ruleWeights.isEmpty()) {
        out.add("hidden-text");
      }
      return out;
    }

    private List<Span> spans() {
      String t = folded.text();
      List<int[]> ranges = new ArrayList<>();
      List<String> why = new ArrayList<>();
      boolean any = false;
      for (int i = 0; i < segments.size(); i++) {
        double s = 1 - (1 - segmentRule[i]) * (1 - segmentModel[i]);
        if (s >= threshold) {
          any = true;
          Segments.Segment seg = segments.get(i);
          int end = extendOverCodeBlock(t, seg.end());
          ranges.add(new int[] {seg.start(), end});
          why.add(segmentReason(seg, i));
        }
      }
      // Code-shaped hits cover the code itself, not only the sentence around them.
      for (Hit h : hits) {
        if (InjectionRules.CODE.contains(h.rule()) && !h.rule().name().equals("code-adoption-request")) {
          ranges.add(new int[] {h.start(), h.end()});
          why.add(h.rule().name());
          any = true;
        }
      }
      if (!any) {
        // flagged on combined evidence: every segment that contributed is offending
        for (int i = 0; i < segments.size(); i++) {
          if (segmentRule[i] > 0 || segmentModel[i] >= threshold / 2) {
            Segments.Segment seg = segments.get(i);
            ranges.add(new int[] {seg.start(), seg.end()});
            why.add(segmentReason(seg, i));
          }
        }
      }
      List<Span> out = new ArrayList<>();
      for (int i = 0; i < ranges.size(); i++) {
        int[] r = ranges.get(i);
        out.add(new Span(folded.originalStart(r[0]), folded.originalEnd(r[1]), why.get(i)));
      }
      out.addAll(encodedSpans);
      return merge(out, folded.original());
    }

    private String segmentReason(Segments.Segment seg, int i) {
      Hit strongest = null;
      for (Hit h : hits) {
        if (h.start() < seg.end() && h.end() > seg.start()
            && (strongest == null || h.rule().weight() > strongest.rule().weight())) {
          strongest = h;
        }
      }
      return strongest != null && strongest.rule().weight() >= segmentModel[i]
          ? strongest.rule().name()
          : "classifier";
    }
  }

  private static boolean blank(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isWhitespace(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** If a code fence opens right after {@code end}, the span runs to the fence's close. */
  static int extendOverCodeBlock(String t, int end) {
    int i = end;
    while (i < t.length() && (t.charAt(i) == ' ' || t.charAt(i) == '\n' || t.charAt(i) == ':')) {
      i++;
    }
    if (!t.startsWith("```", i) || !opensFence(t, i)) {
      return end;
    }
    int close = t.indexOf("```", i + 3);
    return close < 0 ? t.length() : close + 3;
  }

  /** True if the fence at {@code at} opens a block (an even number of fences precede it). */
  private static boolean opensFence(String t, int at) {
    int count = 0;
    for (int i = t.indexOf("```"); i >= 0 && i < at; i = t.indexOf("```", i + 3)) {
      count++;
    }
    return count % 2 == 0;
  }

  static boolean hiddenComment(String t) {
    int open = t.indexOf("<!--");
    return (open >= 0 && t.indexOf("-->", open) > 0) || t.contains("[//]: #");
  }

  /**
   * Sorts spans and merges overlapping ones and those separated only by whitespace (one
   * redaction for one planted passage), keeping the first reason.
   */
  static List<Span> merge(List<Span> spans, String text) {
    List<Span> sorted = new ArrayList<>(spans);
    sorted.sort(Comparator.comparingInt(Span::start).thenComparingInt(Span::end));
    List<Span> out = new ArrayList<>();
    for (Span s : sorted) {
      if (!out.isEmpty() && (s.start() <= out.getLast().end() || blank(text, out.getLast().end(), s.start()))) {
        Span last = out.removeLast();
        out.add(new Span(last.start(), Math.max(last.end(), s.end()), last.reason()));
      } else {
        out.add(s);
      }
    }
    return out;
  }
}
