package io.mcpwarden.server.config;

/**
 * One problem in a configuration file: where it is (YAML path) and what is wrong.
 *
 * @param path dotted path such as {@code servers.demo.command[0]}
 * @param message what is wrong and, where possible, what would be right
 */
public record ConfigError(String path, String message) {
  @Override
  public String toString() {
    return (path.isEmpty() ? "(root)" : path) + ": " + message;
  }
}
