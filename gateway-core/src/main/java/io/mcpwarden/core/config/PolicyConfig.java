package io.mcpwarden.core.config;

/**
 * Access policy in CEL and data classification labels (issue 5).
 *
 * <p>Top-level settings here; per-server settings in {@link Server}, read from the server's entry.
 */
public record PolicyConfig() {

  /** The defaults: what a configuration without the section gets. */
  public static final PolicyConfig DEFAULT = new PolicyConfig();

  /** Settings of one upstream server. */
  public record Server() {
    public static final Server DEFAULT = new Server();
  }
}
