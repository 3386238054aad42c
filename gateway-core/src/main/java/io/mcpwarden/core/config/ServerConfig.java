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
 */
public record ServerConfig(
    String name,
    Transport transport,
    boolean prefix,
    Duration requestTimeout,
    Duration initTimeout,
    StdioConfig stdio,
    HttpConfig http) {

  /** How an upstream is reached. */
  public enum Transport {
    STDIO,
    HTTP
  }
}
