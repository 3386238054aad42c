package io.mcpwarden.core.auth;

import io.mcpwarden.core.config.AuthConfig;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which scopes an operation needs: the global ones, plus those of the upstream server it goes to,
 * plus those of the tool it calls.
 *
 * <p>One place answers this for the edge (global scopes, before anything else) and for the scope
 * guard (server and tool scopes, once the request is routed), so a step-up challenge always names
 * every scope the operation needs, as the MCP specification asks.
 */
public final class ScopePolicy {
  private final Set<String> global;
  private final Map<String, AuthConfig.ServerRule> servers;

  public ScopePolicy(List<String> global, Map<String, AuthConfig.ServerRule> servers) {
    this.global = Set.copyOf(new LinkedHashSet<>(global));
    this.servers = Map.copyOf(servers);
  }

  public static ScopePolicy of(AuthConfig config) {
    return new ScopePolicy(config.requiredScopes(), config.servers());
  }

  /** Scopes every request needs. */
  public Set<String> global() {
    return ordered(global, List.of(), List.of());
  }

  /** Whether any server or tool has rules of its own (otherwise routing need not be consulted). */
  public boolean hasServerRules() {
    return !servers.isEmpty();
  }

  /** All scopes an operation on this server (and tool, may be null) needs, global ones included. */
  public Set<String> required(String server, String tool) {
    AuthConfig.ServerRule rule = servers.get(server);
    if (rule == null) {
      return global();
    }
    AuthConfig.ToolRule t = tool == null ? null : rule.tools().get(tool);
    return ordered(global, rule.scopes(), t == null ? List.of() : t.scopes());
  }

  /** Whether each call of this tool needs a token never used for a high-risk call before. */
  public boolean highRisk(String server, String tool) {
    AuthConfig.ServerRule rule = servers.get(server);
    AuthConfig.ToolRule t = rule == null || tool == null ? null : rule.tools().get(tool);
    return t != null && t.highRisk();
  }

  private static Set<String> ordered(Set<String> a, List<String> b, List<String> c) {
    Set<String> out = new LinkedHashSet<>(a.stream().sorted().toList());
    out.addAll(b);
    out.addAll(c);
    return out;
  }
}
