package io.mcpwarden.core.config;

import java.nio.file.Path;

/**
 * Where the encrypted secret store and its key are.
 *
 * <p>The key comes from the environment variable {@code keyEnv} when it is set (base64 of 32
 * bytes, for containers and CI), otherwise from {@code keyFile}. Secrets are referenced from the
 * rest of the configuration as {@code ${secret:NAME}}.
 *
 * @param store the encrypted store file (default {@code ${warden.home}/data/secrets.enc})
 * @param keyFile the key file, 32 random bytes, mode 0600 (default {@code
 *     ${warden.home}/data/secrets.key})
 * @param keyEnv name of the environment variable that may hold the key in base64 (default {@code
 *     MCP_WARDEN_SECRETS_KEY})
 */
public record SecretsConfig(Path store, Path keyFile, String keyEnv) {
  /** Default name of the environment variable holding the store key. */
  public static final String DEFAULT_KEY_ENV = "MCP_WARDEN_SECRETS_KEY";

  /** The defaults under an installation directory. */
  public static SecretsConfig defaults(Path home) {
    Path data = home.resolve("data");
    return new SecretsConfig(data.resolve("secrets.enc"), data.resolve("secrets.key"), DEFAULT_KEY_ENV);
  }
}
