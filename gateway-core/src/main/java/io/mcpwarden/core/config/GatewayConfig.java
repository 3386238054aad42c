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
 * @param integrity tool pinning, approval and poisoning detection
 * @param policy access policy and data classification
 * @param content content guards (injection, datamarking, secrets, PII, arguments)
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
    SecretsConfig secrets,
    IntegrityConfig integrity,
    PolicyConfig policy,
    ContentConfig content) {

  public GatewayConfig {
    servers = List.copyOf(servers);
    integrity = integrity == null ? IntegrityConfig.DEFAULT : integrity;
    policy = policy == null ? PolicyConfig.DEFAULT : policy;
    content = content == null ? ContentConfig.DEFAULT : content;
  }

  /** A configuration with the default integrity, policy and content settings. */
  public GatewayConfig(ListenConfig listen, LimitsConfig limits, SessionConfig sessions, AuditConfig audit,
      String toolSeparator, int pageSize, List<ServerConfig> servers, AuthConfig auth, SecretsConfig secrets) {
    this(listen, limits, sessions, audit, toolSeparator, pageSize, servers, auth, secrets, null, null, null);
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
        listen.withPort(port), limits, sessions, audit, toolSeparator, pageSize, servers, auth, secrets, integrity, policy, content);
  }

  public GatewayConfig withAudit(AuditConfig newAudit) {
    return new GatewayConfig(listen, limits, sessions, newAudit, toolSeparator, pageSize, servers, auth, secrets, integrity, policy, content);
  }

  public GatewayConfig withAuth(AuthConfig newAuth) {
    return new GatewayConfig(listen, limits, sessions, audit, toolSeparator, pageSize, servers, newAuth, secrets, integrity, policy, content);
  }

  public GatewayConfig withSecrets(SecretsConfig newSecrets) {
    return new GatewayConfig(listen, limits, sessions, audit, toolSeparator, pageSize, servers, auth, newSecrets, integrity, policy, content);
  }

  public GatewayConfig withIntegrity(IntegrityConfig newIntegrity) {
    return new GatewayConfig(listen, limits, sessions, audit, toolSeparator, pageSize, servers, auth, secrets, newIntegrity, policy, content);
  }

  public GatewayConfig withPolicy(PolicyConfig newPolicy) {
    return new GatewayConfig(listen, limits, sessions, audit, toolSeparator, pageSize, servers, auth, secrets, integrity, newPolicy, content);
  }

  public GatewayConfig withContent(ContentConfig newContent) {
    return new GatewayConfig(listen, limits, sessions, audit, toolSeparator, pageSize, servers, auth, secrets, integrity, policy, newContent);
  }

  public GatewayConfig withServers(List<ServerConfig> newServers) {
    return new GatewayConfig(listen, limits, sessions, audit, toolSeparator, pageSize, newServers, auth, secrets, integrity, policy, content);
  }
}
