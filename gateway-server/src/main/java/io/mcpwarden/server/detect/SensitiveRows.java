package io.mcpwarden.server.detect;

import io.mcpwarden.core.detect.SensitiveDataScanner;
import io.mcpwarden.core.detect.SensitiveMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import tools.jackson.databind.JsonNode;

/**
 * Evaluation adapters for the span scanners (kinds {@code secret} and {@code pii}): the row's
 * {@code text} goes in, a row is flagged when at least one span is found, and the spans come back
 * for {@code --out} and entity-level scoring.
 *
 * <p>The score orders rows for ROC-AUC: a span of a typed or checksummed rule counts more than one
 * found by context alone (generic assignments, names, loosely shaped phone numbers).
 */
final class SensitiveRows implements EvalKind.RowDetector<String> {

  /** Scanner types reported under the dataset's entity names, so spans and entities compare. */
  static final Map<String, String> PII_ENTITY_NAMES =
      Map.of(
          "email", "EMAIL_ADDRESS",
          "phone", "PHONE_NUMBER",
          "payment-card", "CREDIT_CARD",
          "iban", "IBAN_CODE",
          "us-ssn", "US_SSN",
          "ip-address", "IP_ADDRESS",
          "person", "PERSON",
          "street-address", "STREET_ADDRESS");

  /** Types found by context rather than by shape or checksum. */
  private static final List<String> CONTEXTUAL =
      List.of("generic-secret", "password", "authorization-header", "basic-auth", "person", "street-address", "phone");

  private final SensitiveDataScanner scanner;
  private final Map<String, String> typeNames;
  private final OptionalDouble threshold;

  private SensitiveRows(SensitiveDataScanner scanner, Map<String, String> typeNames, OptionalDouble threshold) {
    this.scanner = scanner;
    this.typeNames = typeNames;
    this.threshold = threshold;
  }

  static SensitiveRows secrets(SensitiveDataScanner scanner, OptionalDouble threshold) {
    return new SensitiveRows(scanner, Map.of(), threshold);
  }

  static SensitiveRows pii(SensitiveDataScanner scanner, OptionalDouble threshold) {
    return new SensitiveRows(scanner, PII_ENTITY_NAMES, threshold);
  }

  @Override
  public String input(JsonNode row) {
    return row.path("text").asString("");
  }

  @Override
  public Detection detect(String text) {
    List<SensitiveMatch> matches = scanner.scan(text);
    double score = 0.0;
    List<Detection.Span> spans = new ArrayList<>(matches.size());
    for (SensitiveMatch m : matches) {
      score = Math.max(score, CONTEXTUAL.contains(m.type()) ? 0.7 : 0.95);
      spans.add(new Detection.Span(typeNames.getOrDefault(m.type(), m.type()), m.start(), m.end()));
    }
    // The scanners' operating point is "any span"; --threshold moves it along the score.
    boolean flagged = threshold.isPresent() ? score >= threshold.getAsDouble() && score > 0 : !matches.isEmpty();
    return new Detection(score, flagged, spans);
  }
}
