package io.mcpwarden.core.auth;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which token claims hold the scopes a principal is granted, and how to read them.
 *
 * <p>Identity providers disagree: RFC 9068 and RFC 8693 use {@code scope} (space-separated),
 * Microsoft Entra ID puts delegated scopes in {@code scp} and application permissions (app roles,
 * what client-credentials tokens carry) in {@code roles} (a list). Configuring the claims keeps
 * one scope model for every provider. Each claim may be a space-separated string or a list of
 * strings; anything else is ignored.
 *
 * @param names claim names, read in this order
 */
public record ScopeClaims(List<String> names) {
  /** {@code scope} and {@code scp}: what RFC 9068 and most providers use for delegated scopes. */
  public static final ScopeClaims DEFAULT = new ScopeClaims(List.of("scope", "scp"));

  public ScopeClaims {
    names = List.copyOf(names);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("at least one scope claim is needed");
    }
  }

  /** The scopes granted by these claims (a JWT's claims or an introspection answer). */
  public Set<String> read(Map<String, ?> claims) {
    Set<String> out = new LinkedHashSet<>();
    for (String name : names) {
      add(out, claims.get(name));
    }
    return out;
  }

  private static void add(Set<String> out, Object value) {
    if (value instanceof String s) {
      for (String part : s.trim().split("\\s+")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
    } else if (value instanceof Collection<?> c) {
      for (Object o : c) {
        if (o instanceof String s) {
          add(out, s);
        }
      }
    }
  }
}
