package io.mcpwarden.core.config;

import java.util.List;

/**
 * The whole gateway configuration, immutable once loaded.
 *
 * <p>One value describes a running gateway, so a reload is a swap of one reference and a rollback
 * is loading an older value.
 *
 * @param listen where and how the front endpoint listens
 * @param limits size, depth and stream limits on the front
 * @param sessions front session lifetimes
 * @param audit where audit events are written
 * @param toolSeparator separator between server name and tool or prompt name
 * @param pageSize items per page of aggregated lists
 * @param servers upstream MCP servers, in configuration order
 * @param auth client authentication (OAuth protected resource); null when off
 * @param secrets the encrypted secret store that {@code ${secret:NAME}} references resolve
 *     against; null when none is configured
 */
public record GatewayConfig(
    ListenConfig listen,
    LimitsConfig limits,
    SessionConfig sessions,
    AuditConfig audit,
    String toolSeparator,
    int pageSize,
    List<ServerConfig> servers,
    AuthConfig auth,
    SecretsConfig secrets) {

  public GatewayConfig {
    servers = List.copyOf(servers);
  }

  /** A configuration without client authentication. */
  public GatewayConfig(ListenConfig listen, LimitsConfig limits, SessionConfig sessions, AuditConfig audit,
      String toolSeparator, int pageSize, List<ServerConfig> servers) {
    this(listen, limits, sessions, audit, toolSeparator, pageSize, servers, null, null);
  }

  /** A configuration without a secret store. */
  public GatewayConfig(ListenConfig listen, LimitsConfig limits, SessionConfig sessions, AuditConfig audit,
      String toolSeparator, int pageSize, List<ServerConfig> servers, AuthConfig auth) {
    this(listen, limits, sessions, audit, toolSeparator, pageSize, servers, auth, null);
  }

  /** The same configuration listening on another port. */
  public GatewayConfig withPort(int port) {
    return new GatewayConfig(
        listen.withPort(port), limits, sessions, audit, toolSeparator, pageSize, servers, auth, secrets);
  }

  public GatewayConfig withAudit(AuditConfig newAudit) {
    return new GatewayConfig(listen, limits, sessions, newAudit, toolSeparator, pageSize, servers, auth, secrets);
  }

  public GatewayConfig withAuth(AuthConfig newAuth) {
    return new GatewayConfig(listen, limits, sessions, audit, toolSeparator, pageSize, servers, newAuth, secrets);
  }

  public GatewayConfig withSecrets(SecretsConfig newSecrets) {
    return new GatewayConfig(listen, limits, sessions, audit, toolSeparator, pageSize, servers, auth, newSecrets);
  }
}
