package io.mcpwarden.core.route;

import java.util.List;

/**
 * The MCP (syslog) log levels and their order.
 *
 * <p>The gateway filters upstream log notifications per front session, since a shared upstream
 * cannot know each client's level.
 */
public final class LogLevels {
  static final List<String> ORDER =
      List.of("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency");

  private LogLevels() {}

  public static boolean valid(String level) {
    return level != null && ORDER.contains(level);
  }

  /** Whether a message at {@code level} passes a session threshold ({@code null}: everything). */
  public static boolean passes(String level, String threshold) {
    if (threshold == null) {
      return true;
    }
    int l = ORDER.indexOf(level);
    return l < 0 || l >= ORDER.indexOf(threshold);
  }
}
