package io.mcpwarden.core.secret;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Looks up secrets by name for the parts of the gateway that hand them over (stdio environments,
 * upstream credentials).
 *
 * <p>The gateway loads one snapshot at start holding only the names its configuration refers
 * to, so a missing secret stops the start with a clear list instead of failing a user's request
 * later, and secrets nobody refers to never enter memory.
 */
@FunctionalInterface
public interface SecretResolver {

  /**
   * @throws SecretStoreException when there is no secret of that name
   */
  Secret require(String name);

  /** A resolver without secrets: every reference fails, naming the missing store. */
  SecretResolver NONE = name -> {
    throw new SecretStoreException("secret '" + name + "' is referenced but no secret store is configured");
  };

  /** A fixed set of secrets (tests, and the snapshot taken at start). */
  static SecretResolver of(Map<String, Secret> secrets) {
    Map<String, Secret> copy = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
    return name -> {
      Secret s = copy.get(name);
      if (s == null) {
        throw new SecretStoreException("secret '" + name + "' is not in the secret store");
      }
      return s;
    };
  }

  /**
   * Reads the named secrets from a store, all at once.
   *
   * @throws SecretStoreException listing every missing name, or when the store cannot be opened
   */
  static SecretResolver snapshot(SecretStore store, Collection<String> names) {
    if (names.isEmpty()) {
      return of(Map.of());
    }
    if (!store.exists()) {
      throw new SecretStoreException("the configuration refers to secrets " + new TreeSet<>(names) + " but the secret store "
          + store.file() + " does not exist; add them with: mcp-warden secrets set NAME");
    }
    Map<String, Secret> all = store.readAll();
    Map<String, Secret> wanted = new LinkedHashMap<>();
    SortedSet<String> missing = new TreeSet<>();
    for (String n : names) {
      Secret s = all.get(n);
      if (s == null) {
        missing.add(n);
      } else {
        wanted.put(n, s);
      }
    }
    if (!missing.isEmpty()) {
      throw new SecretStoreException("secret(s) " + missing + " referenced by the configuration are not in " + store.file()
          + "; add them with: mcp-warden secrets set NAME");
    }
    return of(wanted);
  }
}
