package io.mcpwarden.server.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mcpwarden.core.detect.poison.LayeredPoisoningDetector;
import io.mcpwarden.core.detect.poison.PoisoningDetectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shipped poisoning detector on the dev set {@code shared/data/detection/tool-descriptions.jsonl}
 * (a sibling of the repository, or {@code -Dwarden.detection.data=DIR}); skipped when absent.
 */
class ToolDescriptionDatasetTest {

  /** The detection data folder, if there is one. */
  static Optional<Path> dataDir() {
    String prop = System.getProperty("warden.detection.data");
    if (prop != null) {
      return Optional.of(Path.of(prop)).filter(Files::isDirectory);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/data/detection");
      if (Files.isRegularFile(candidate.resolve("tool-descriptions.jsonl"))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  @Test
  void meetsTheTargetOnTheDevSetAndKeepsHardNegativesClean() throws Exception {
    Optional<Path> dir = dataDir();
    assumeTrue(dir.isPresent(), "shared/data/detection not found: dataset test skipped");
    LayeredPoisoningDetector detector = PoisoningDetectors.standard();
    JsonMapper json = JsonMapper.builder().build();
    List<ScoredItem> items = new ArrayList<>();
    List<ScoredItem> hard = new ArrayList<>();
    for (String line : Files.readAllLines(dir.get().resolve("tool-descriptions.jsonl"), StandardCharsets.UTF_8)) {
      JsonNode row = json.readTree(line);
      double score = detector.assess(EvalKinds.tool(row)).score();
      ScoredItem item = new ScoredItem(row.path("id").asString(), row.path("category").asString(),
          row.path("label").asString().equals("malicious"), score, score >= detector.threshold(), 0);
      items.add(item);
      if (item.category().equals("benign-security-sounding")) {
        hard.add(item);
      }
    }
    DetectionMetrics m = DetectionMetrics.of(items);
    assertThat(m.recall()).as(m.line()).isGreaterThanOrEqualTo(0.97);
    assertThat(m.fpr()).as(m.line()).isLessThanOrEqualTo(0.01);
    assertThat(DetectionMetrics.of(hard).fpr()).isLessThanOrEqualTo(0.01);
  }
}
