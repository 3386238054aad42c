package io.mcpwarden.server.cli;

import java.nio.file.Path;

/**
 * Where the default configuration lives.
 *
 * <p>The launcher sets {@code WARDEN_HOME}, so {@code ./mcp-warden run} finds the demo from any
 * working directory.
 */
final class ConfigFiles {
  private ConfigFiles() {}

  static Path home() {
    String h = System.getenv("WARDEN_HOME");
    return Path.of(h == null || h.isBlank() ? "." : h).toAbsolutePath().normalize();
  }

  static Path defaultConfig() {
    return home().resolve("examples").resolve("demo.yaml");
  }
}
