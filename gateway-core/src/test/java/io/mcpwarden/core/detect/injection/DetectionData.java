package io.mcpwarden.core.detect.injection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Locates and reads the shared detection data set ({@code shared/data/detection}, a sibling of the
 * repository, never copied into it).
 *
 * <p>Why a locator: tests and the training program run from different working directories; the
 * system property {@code mcpwarden.detection.data} wins, otherwise the parents of the working
 * directory are searched.
 */
final class DetectionData {
  private DetectionData() {}

  /** One row of tool-results.jsonl. */
  record Row(String id, String text, boolean injected, String source, String category) {
    /** The context family: bipia-table, bipia-email, bipia-code or docs-page. */
    String context() {
      return category.startsWith("docs-page") ? "docs-page" : category.substring(0, category.indexOf('-', 6));
    }

    /** The attack type without its context, or "clean". */
    String attack() {
      return category.substring(context().length() + 1);
    }
  }

  static Optional<Path> directory() {
    String property = System.getProperty("mcpwarden.detection.data");
    if (property != null && !property.isBlank()) {
      Path p = Path.of(property);
      return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/data/detection");
      if (Files.isRegularFile(candidate.resolve("tool-results.jsonl"))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static List<Row> toolResults(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Row> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = json.readTree(line);
      String label = n.path("label").asString("");
      if (!label.equals("injected") && !label.equals("benign")) {
        continue;
      }
      rows.add(
          new Row(
              n.path("id").asString(),
              n.path("text").asString(),
              label.equals("injected"),
              n.path("source").asString(""),
              n.path("category").asString("")));
    }
    return rows;
  }
}
