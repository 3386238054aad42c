package io.mcpwarden.server.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used, with every problem found in it.
 *
 * <p>Reporting all errors at once saves the operator a fix-and-retry loop per typo.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<ConfigError> errors;

  public ConfigException(String source, List<ConfigError> errors) {
    super("Invalid configuration " + source + ":\n" + errors.stream().map(e -> "  - " + e).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() {
    return errors;
  }
}
