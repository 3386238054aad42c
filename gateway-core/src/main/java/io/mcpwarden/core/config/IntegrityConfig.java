package io.mcpwarden.core.config;

/**
 * Tool integrity: pinning of tool definitions, approval and the poisoning detector (issue 5).
 *
 * <p>Top-level settings here; per-server settings in {@link Server}, read from the server's entry.
 */
public record IntegrityConfig() {

  /** The defaults: what a configuration without the section gets. */
  public static final IntegrityConfig DEFAULT = new IntegrityConfig();

  /** Settings of one upstream server. */
  public record Server() {
    public static final Server DEFAULT = new Server();
  }
}
