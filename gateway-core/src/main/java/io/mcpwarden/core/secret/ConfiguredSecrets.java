package io.mcpwarden.core.secret;

import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.SecretsConfig;
import io.mcpwarden.core.config.ServerConfig;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The secrets a configuration refers to, read once when the gateway starts.
 *
 * <p>Only referenced names are read, so a secret nobody uses never enters the gateway's memory;
 * a missing one stops the start with every missing name listed. Without references the store
 * and its key are not touched at all, so a gateway without secrets needs neither.
 */
public final class ConfiguredSecrets {
  private ConfiguredSecrets() {}

  /** Every {@code ${secret:NAME}} name the configuration uses: stdio env values and HTTP auth. */
  public static Set<String> referencedNames(GatewayConfig config) {
    Set<String> names = new TreeSet<>();
    for (ServerConfig sc : config.servers()) {
      if (sc.stdio() != null) {
        sc.stdio().env().values().forEach(v -> names.addAll(SecretReferences.names(v)));
      }
      if (sc.http() != null) {
        names.addAll(sc.http().auth().secretNames());
      }
    }
    return names;
  }

  /**
   * Loads the referenced secrets.
   *
   * @param environment where the store key may be (the variable named by {@code secrets.key-env})
   * @throws SecretStoreException when the store, its key or a referenced secret is missing or bad
   */
  public static SecretResolver load(GatewayConfig config, Map<String, String> environment) {
    Set<String> names = referencedNames(config);
    if (names.isEmpty()) {
      return SecretResolver.of(Map.of());
    }
    SecretsConfig sc = config.secrets();
    if (sc == null) {
      throw new SecretStoreException("the configuration refers to secrets " + names + " but configures no secret store");
    }
    KeySource key = KeySource.choose(null, sc.keyEnv(), environment, sc.keyFile());
    return SecretResolver.snapshot(SecretStore.at(sc.store(), key.load()), names);
  }
}
