package io.mcpwarden.server.config;

import io.mcpwarden.core.config.ContentConfig;
import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * Reads the top-level {@code content} section and the per-server keys that belong to it.
 *
 * <p>Kept apart from {@link ConfigLoader} so the section's keys and checks live in one file.
 */
final class ContentConfigReader {
  private final BiFunction<YamlNode, String, String> expand;
  private final Path home;

  ContentConfigReader(BiFunction<YamlNode, String, String> expand, Path home) {
    this.expand = expand;
    this.home = home;
  }

  /** The top-level {@code content:} section (missing node: defaults). */
  ContentConfig read(YamlNode n) {
    n.rejectUnknownKeys();
    return ContentConfig.DEFAULT;
  }

  /**
   * This section's keys in one server's entry. Reads only its own keys from {@code serverNode};
   * the loader rejects keys nobody read.
   */
  ContentConfig.Server server(String serverName, YamlNode serverNode) {
    return ContentConfig.Server.DEFAULT;
  }
}
