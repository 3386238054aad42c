package io.mcpwarden.server.detect;

import io.mcpwarden.core.detect.injection.IndirectInjectionDetector;
import io.mcpwarden.core.detect.injection.InjectionFinding;
import io.mcpwarden.core.detect.poison.LayeredPoisoningDetector;
import io.mcpwarden.core.detect.poison.PoisoningAssessment;
import io.mcpwarden.core.detect.poison.PoisoningDetectors;
import io.mcpwarden.core.detect.pii.PiiScanner;
import io.mcpwarden.core.detect.secret.SecretScanner;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The table of dataset kinds {@code mcp-warden detect eval} knows, one line per detector.
 *
 * <p>Each detector's owner wires its kind here; a kind whose detector is not built yet throws
 * {@link EvalKind.Unavailable}, which the command reports with exit code 2.
 */
public final class EvalKinds {
  private EvalKinds() {}

  public static final List<EvalKind> ALL = List.of(
      new EvalKind("tool-description", "malicious", "benign", "category", t -> toolDescriptions(
          t.isPresent() ? PoisoningDetectors.standard(t.getAsDouble()) : PoisoningDetectors.standard())),
      new EvalKind("tool-result", "injected", "benign", "category", t -> toolResults(
          t.isPresent() ? new IndirectInjectionDetector().withThreshold(t.getAsDouble()) : new IndirectInjectionDetector())),
      new EvalKind("secret", "secret", "clean", "kind", t -> SensitiveRows.secrets(SecretScanner.defaults(), t)),
      new EvalKind("pii", "pii", "clean", "category", t -> SensitiveRows.pii(PiiScanner.defaults(), t)));

  private static final Map<String, EvalKind> BY_NAME =
      ALL.stream().collect(Collectors.toMap(EvalKind::name, Function.identity()));

  /** The kind named {@code name}, if known. */
  public static Optional<EvalKind> named(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** Names of all kinds, for help and error messages. */
  public static String names() {
    return ALL.stream().map(EvalKind::name).collect(Collectors.joining("|"));
  }

  /** Tool-result rows: the detector reads {@code text} only; offending spans go to {@code --out}. */
  private static EvalKind.RowDetector<String> toolResults(IndirectInjectionDetector detector) {
    return new EvalKind.RowDetector<>() {
      @Override
      public String input(JsonNode row) {
        return row.path("text").asString("");
      }

      @Override
      public Detection detect(String text) {
        InjectionFinding f = detector.examine(text);
        return new Detection(
            f.verdict().score(),
            f.verdict().flagged(),
            f.spans().stream().map(s -> new Detection.Span(s.reason(), s.start(), s.end())).toList());
      }
    };
  }

  private static EvalKind.RowDetector<ObjectNode> toolDescriptions(LayeredPoisoningDetector detector) {
    return new EvalKind.RowDetector<>() {
      @Override
      public ObjectNode input(JsonNode row) {
        return tool(row);
      }

      @Override
      public Detection detect(ObjectNode tool) {
        PoisoningAssessment a = detector.assess(tool);
        return Detection.of(a.score(), a.score() >= detector.threshold());
      }
    };
  }

  /**
   * The MCP {@code Tool} object a tool-descriptions row stands for: {@code name}, {@code
   * description}, {@code input_schema} as {@code inputSchema}. Nothing else of the row (label,
   * category, source) reaches the detector.
   */
  public static ObjectNode tool(JsonNode row) {
    ObjectNode tool = JsonNodeFactory.instance.objectNode();
    for (String f : List.of("name", "title", "description")) {
      if (row.get(f) != null && row.get(f).isString()) {
        tool.set(f, row.get(f));
      }
    }
    if (row.get("input_schema") instanceof ObjectNode schema) {
      tool.set("inputSchema", schema);
    }
    return tool;
  }
}
