package io.mcpwarden.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How to start a stdio MCP server.
 *
 * <p>The child starts with an empty environment plus what is listed here, so no secret of the
 * gateway's own environment leaks to it by accident.
 *
 * @param command program and arguments, no shell involved
 * @param env variables set for the child
 * @param envPassthrough names of the gateway's own variables copied to the child
 * @param workingDir directory the child starts in (null: the gateway's)
 * @param isolation {@code shared}: one process for all sessions, ids rewritten; {@code
 *     per-session}: one process per front session
 * @param maxLineBytes longest accepted line on the child's stdout
 * @param restartBackoffMax upper bound of the exponential restart delay after a crash
 */
public record StdioConfig(
    List<String> command,
    Map<String, String> env,
    List<String> envPassthrough,
    String workingDir,
    Isolation isolation,
    int maxLineBytes,
    Duration restartBackoffMax) {

  public StdioConfig {
    command = List.copyOf(command);
    env = Map.copyOf(env);
    envPassthrough = List.copyOf(envPassthrough);
  }

  /** Whether front sessions share one child process. */
  public enum Isolation {
    SHARED,
    PER_SESSION
  }
}
