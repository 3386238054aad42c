package io.mcpwarden.server.config;

import io.mcpwarden.core.config.PolicyConfig;
import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * Reads the top-level {@code policy} section and the per-server keys that belong to it.
 *
 * <p>Kept apart from {@link ConfigLoader} so the section's keys and checks live in one file.
 */
final class PolicyConfigReader {
  private final BiFunction<YamlNode, String, String> expand;
  private final Path home;

  PolicyConfigReader(BiFunction<YamlNode, String, String> expand, Path home) {
    this.expand = expand;
    this.home = home;
  }

  /** The top-level {@code policy:} section (missing node: defaults). */
  PolicyConfig read(YamlNode n) {
    n.rejectUnknownKeys();
    return PolicyConfig.DEFAULT;
  }

  /**
   * This section's keys in one server's entry. Reads only its own keys from {@code serverNode};
   * the loader rejects keys nobody read.
   */
  PolicyConfig.Server server(String serverName, YamlNode serverNode) {
    return PolicyConfig.Server.DEFAULT;
  }
}
