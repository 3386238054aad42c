package io.mcpwarden.core.secret;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a store key comes from: a key file or an environment variable holding it in base64.
 *
 * <p>One rule everywhere (gateway and CLI): an explicitly named key file wins; otherwise the
 * environment variable when it is set; otherwise the default key file.
 */
public sealed interface KeySource {

  StoreKey load();

  /** Where the key comes from, for messages; never the key. */
  String describe();

  /** A key file of 32 raw bytes. */
  record KeyFile(Path path) implements KeySource {
    @Override
    public StoreKey load() {
      return StoreKey.fromFile(path);
    }

    @Override
    public String describe() {
      return "key file " + path;
    }
  }

  /** An environment variable holding the key in base64. */
  record EnvironmentVariable(String name, String value) implements KeySource {
    @Override
    public StoreKey load() {
      return StoreKey.fromBase64("environment variable " + name, value);
    }

    @Override
    public String describe() {
      return "environment variable " + name;
    }

    @Override
    public String toString() {
      return "EnvironmentVariable[" + name + "]";
    }
  }

  /**
   * Applies the rule above.
   *
   * @param explicitFile a key file named explicitly (a CLI option), or null
   * @param envName the environment variable that may hold the key
   * @param env the process environment
   * @param defaultFile the key file used when neither of the above applies
   */
  static KeySource choose(Path explicitFile, String envName, Map<String, String> env, Path defaultFile) {
    if (explicitFile != null) {
      return new KeyFile(explicitFile);
    }
    String value = envName == null ? null : env.get(envName);
    if (value != null && !value.isBlank()) {
      return new EnvironmentVariable(envName, value);
    }
    return new KeyFile(defaultFile);
  }
}
