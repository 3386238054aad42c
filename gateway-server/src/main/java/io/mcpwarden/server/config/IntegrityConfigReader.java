package io.mcpwarden.server.config;

import io.mcpwarden.core.config.IntegrityConfig;
import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * Reads the top-level {@code integrity} section and the per-server keys that belong to it.
 *
 * <p>Kept apart from {@link ConfigLoader} so the section's keys and checks live in one file.
 */
final class IntegrityConfigReader {
  private final BiFunction<YamlNode, String, String> expand;
  private final Path home;

  IntegrityConfigReader(BiFunction<YamlNode, String, String> expand, Path home) {
    this.expand = expand;
    this.home = home;
  }

  /** The top-level {@code integrity:} section (missing node: defaults). */
  IntegrityConfig read(YamlNode n) {
    n.rejectUnknownKeys();
    return IntegrityConfig.DEFAULT;
  }

  /**
   * This section's keys in one server's entry. Reads only its own keys from {@code serverNode};
   * the loader rejects keys nobody read.
   */
  IntegrityConfig.Server server(String serverName, YamlNode serverNode) {
    return IntegrityConfig.Server.DEFAULT;
  }
}
