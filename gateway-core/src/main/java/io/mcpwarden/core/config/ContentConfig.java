package io.mcpwarden.core.config;

/**
 * Content guards on both directions of a call: injection detection, datamarking, secret and PII redaction, argument validation (issue 6).
 *
 * <p>Top-level settings here; per-server settings in {@link Server}, read from the server's entry.
 */
public record ContentConfig() {

  /** The defaults: what a configuration without the section gets. */
  public static final ContentConfig DEFAULT = new ContentConfig();

  /** Settings of one upstream server. */
  public record Server() {
    public static final Server DEFAULT = new Server();
  }
}
