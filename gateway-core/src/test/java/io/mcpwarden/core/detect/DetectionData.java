package io.mcpwarden.core.detect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the shared detection evaluation set ({@code shared/data/detection}) for dataset tests:
 * the {@code mcpwarden.detection.data} system property, else the first {@code
 * shared/data/detection} found walking up from the working directory (the set lives next to the
 * repository, never inside it). Tests skip when it is absent.
 */
public final class DetectionData {
  private DetectionData() {}

  public static Optional<Path> file(String name) {
    return dir().map(d -> d.resolve(name)).filter(Files::isRegularFile);
  }

  public static Optional<Path> dir() {
    String configured = System.getProperty("mcpwarden.detection.data");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(Files::isDirectory);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("data").resolve("detection");
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
