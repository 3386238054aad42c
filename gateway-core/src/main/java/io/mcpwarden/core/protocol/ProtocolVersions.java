package io.mcpwarden.core.protocol;

import java.util.List;

/**
 * The MCP protocol revisions the gateway speaks, and the rules that depend on them.
 *
 * <p>Everything that differs between revisions is decided here, so adding the 2026-07-28 revision
 * (no sessions, version in {@code _meta}) is an addition beside this one, not a rewrite.
 */
public final class ProtocolVersions {
  /** The revision the gateway implements and prefers. */
  public static final String LATEST = "2025-11-25";

  /** Revisions accepted on the front and offered to upstreams, newest first. */
  public static final List<String> SUPPORTED = List.of("2025-11-25", "2025-06-18", "2025-03-26");

  /** What the transport specification says to assume when the header is absent and unknown. */
  public static final String ASSUMED_WHEN_ABSENT = "2025-03-26";

  public static final String HEADER = "MCP-Protocol-Version";
  public static final String SESSION_HEADER = "Mcp-Session-Id";

  private ProtocolVersions() {}

  /** Version negotiation: echo a supported request, otherwise offer the newest. */
  public static String negotiate(String requested) {
    return requested != null && SUPPORTED.contains(requested) ? requested : LATEST;
  }

  public static boolean isSupported(String version) {
    return version != null && SUPPORTED.contains(version);
  }

  /** Whether a front session at this version should see tool {@code outputSchema} and friends. */
  public static boolean hasStructuredContent(String version) {
    return version.compareTo("2025-06-18") >= 0;
  }
}
