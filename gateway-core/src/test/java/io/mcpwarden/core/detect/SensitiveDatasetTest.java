package io.mcpwarden.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mcpwarden.core.detect.pii.PiiScanner;
import io.mcpwarden.core.detect.secret.SecretScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Floors on the shared dev set ({@code secrets.jsonl}, {@code pii.jsonl}) so a rule change that
 * loses recall or gains false positives fails the build. Skipped when the set is not next to the
 * repository. Full figures come from {@code mcp-warden detect eval}; see docs/detection.md.
 */
class SensitiveDatasetTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Dataset entity types that the PII scanner reports, with the scanner's type names. */
  private static final Map<String, String> PII_TYPES =
      Map.of(
          "EMAIL_ADDRESS", "email",
          "PHONE_NUMBER", "phone",
          "CREDIT_CARD", "payment-card",
          "IBAN_CODE", "iban",
          "US_SSN", "us-ssn",
          "IP_ADDRESS", "ip-address");

  @Test
  void secretsRecallAndFalsePositiveRate() throws IOException {
    Optional<Path> file = DetectionData.file("secrets.jsonl");
    assumeTrue(file.isPresent(), "shared/data/detection/secrets.jsonl not found");
    SecretScanner scanner = SecretScanner.defaults();
    int tp = 0;
    int fn = 0;
    int fp = 0;
    int tn = 0;
    for (JsonNode row : rows(file.get())) {
      boolean positive = row.path("label").asString("").equals("secret");
      boolean flagged = !scanner.scan(row.path("text").asString("")).isEmpty();
      if (positive) {
        if (flagged) tp++; else fn++;
      } else {
        if (flagged) fp++; else tn++;
      }
    }
    double recall = tp / (double) (tp + fn);
    double fpr = fp / (double) (fp + tn);
    System.out.printf("secrets: recall=%.3f fpr=%.3f (tp=%d fn=%d fp=%d tn=%d)%n", recall, fpr, tp, fn, fp, tn);
    assertThat(recall).isGreaterThanOrEqualTo(0.83);
    assertThat(fpr).isLessThanOrEqualTo(0.09);
  }

  @Test
  void personalDataEntityRecallAndCleanRows() throws IOException {
    Optional<Path> file = DetectionData.file("pii.jsonl");
    assumeTrue(file.isPresent(), "shared/data/detection/pii.jsonl not found");
    PiiScanner scanner = PiiScanner.defaults();
    Map<String, int[]> found = new HashMap<>();
    int cleanRows = 0;
    int cleanFlagged = 0;
    for (JsonNode row : rows(file.get())) {
      String text = row.path("text").asString("");
      List<SensitiveMatch> matches = scanner.scan(text);
      if (row.path("label").asString("").equals("clean")) {
        cleanRows++;
        if (!matches.isEmpty()) cleanFlagged++;
      }
      for (JsonNode e : row.path("entities")) {
        String type = PII_TYPES.get(e.path("type").asString(""));
        if (type == null) continue;
        int start = e.path("start").asInt();
        int end = e.path("end").asInt();
        boolean hit = matches.stream().anyMatch(m -> m.type().equals(type) && m.start() < end && start < m.end());
        int[] c = found.computeIfAbsent(type, k -> new int[2]);
        c[0]++;
        if (hit) c[1]++;
      }
    }
    found.forEach((type, c) -> System.out.printf("pii %s: recall=%.3f of %d%n", type, c[1] / (double) c[0], c[0]));
    for (String type : List.of("email", "payment-card", "iban", "us-ssn", "ip-address")) {
      int[] c = found.get(type);
      assertThat(c[1] / (double) c[0]).as(type).isGreaterThanOrEqualTo(0.95);
    }
    int[] phone = found.get("phone");
    assertThat(phone[1] / (double) phone[0]).as("phone").isGreaterThanOrEqualTo(0.85);
    assertThat(cleanFlagged / (double) cleanRows).as("clean rows flagged").isLessThanOrEqualTo(0.02);
  }

  private static List<JsonNode> rows(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(JSON::readTree).toList();
  }
}
