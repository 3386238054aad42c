package io.mcpwarden.core.config;

import java.time.Duration;

/**
 * One upstream MCP server behind the gateway.
 *
 * <p>Exactly one of {@code stdio} and {@code http} is set, matching {@code transport}.
 *
 * @param name the server's name, used as the namespace prefix of its tools and prompts
 * @param transport how the gateway reaches it
 * @param prefix whether tool and prompt names are exposed as {@code <name><sep><tool>}
 * @param requestTimeout longest wait for one upstream answer before the call fails
 * @param initTimeout longest wait for the upstream's initialize answer
 * @param stdio settings of a stdio server
 * @param http settings of a Streamable HTTP server
 * @param integrity this server's pinning and approval settings
 * @param policy this server's classification labels
 * @param content this server's content-guard settings (trust, actions)
 */
public record ServerConfig(
    String name,
    Transport transport,
    boolean prefix,
    Duration requestTimeout,
    Duration initTimeout,
    StdioConfig stdio,
    HttpConfig http,
    IntegrityConfig.Server integrity,
    PolicyConfig.Server policy,
    ContentConfig.Server content) {

  public ServerConfig {
    integrity = integrity == null ? IntegrityConfig.Server.DEFAULT : integrity;
    policy = policy == null ? PolicyConfig.Server.DEFAULT : policy;
    content = content == null ? ContentConfig.Server.DEFAULT : content;
  }

  /** A server with default integrity, policy and content settings. */
  public ServerConfig(String name, Transport transport, boolean prefix, Duration requestTimeout, Duration initTimeout,
      StdioConfig stdio, HttpConfig http) {
    this(name, transport, prefix, requestTimeout, initTimeout, stdio, http, null, null, null);
  }

  public ServerConfig withIntegrity(IntegrityConfig.Server newIntegrity) {
    return new ServerConfig(name, transport, prefix, requestTimeout, initTimeout, stdio, http, newIntegrity, policy, content);
  }

  public ServerConfig withPolicy(PolicyConfig.Server newPolicy) {
    return new ServerConfig(name, transport, prefix, requestTimeout, initTimeout, stdio, http, integrity, newPolicy, content);
  }

  public ServerConfig withContent(ContentConfig.Server newContent) {
    return new ServerConfig(name, transport, prefix, requestTimeout, initTimeout, stdio, http, integrity, policy, newContent);
  }

  /** How an upstream is reached. */
  public enum Transport {
    STDIO,
    HTTP
  }
}
