package io.mcpwarden.core.config;

import io.mcpwarden.core.detect.poison.PoisoningDetectors;
import java.nio.file.Path;

/**
 * Tool integrity: pinning of tool definitions, approval and the poisoning detector (issue 5).
 *
 * <p>Top-level settings here; per-server settings in {@link Server}, read from the server's entry.
 *
 * @param store the SQLite file holding pinned definitions and decisions ({@code integrity.store})
 * @param defaultPinning the pinning mode of servers that do not set their own
 *     ({@code integrity.default-pinning})
 * @param detectorThreshold operating threshold of the poisoning detector, in [0, 1]
 *     ({@code integrity.detector.threshold}); a new or changed tool scoring at or above it is
 *     quarantined
 */
public record IntegrityConfig(Path store, Pinning defaultPinning, double detectorThreshold) {

  /** The shipped operating threshold of the poisoning detector (see docs/detection.md). */
  public static final double DEFAULT_DETECTOR_THRESHOLD = PoisoningDetectors.DEFAULT_THRESHOLD;

  /** The defaults: what a configuration without the section gets (the loader puts the store under the home). */
  public static final IntegrityConfig DEFAULT = new IntegrityConfig(Path.of("data", "integrity.db"), Pinning.REQUIRE_APPROVAL);

  public IntegrityConfig {
    store = store == null ? Path.of("data", "integrity.db") : store;
    defaultPinning = defaultPinning == null ? Pinning.REQUIRE_APPROVAL : defaultPinning;
    if (!(detectorThreshold >= 0 && detectorThreshold <= 1)) {
      throw new IllegalArgumentException("detector threshold must be in [0,1]: " + detectorThreshold);
    }
  }

  /** Store and pinning mode, with the shipped detector threshold. */
  public IntegrityConfig(Path store, Pinning defaultPinning) {
    this(store, defaultPinning, DEFAULT_DETECTOR_THRESHOLD);
  }

  /** The pinning mode that applies to a server. */
  public Pinning pinning(ServerConfig server) {
    return server.integrity().pinning() != null ? server.integrity().pinning() : defaultPinning;
  }

  /**
   * How new upstream definitions are treated. Any later change of an approved definition
   * quarantines it in both modes.
   */
  public enum Pinning {
    /** Every new tool, prompt and resource template is hidden until an admin approves it. */
    REQUIRE_APPROVAL("require-approval"),
    /**
     * The items a server offers the first time the gateway sees its list are approved; anything
     * that appears later (a renamed tool included) waits for approval.
     */
    TRUST_ON_FIRST_USE("trust-on-first-use");

    private final String label;

    Pinning(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /** The mode named by its configuration label, or null. */
    public static Pinning parse(String s) {
      for (Pinning p : values()) {
        if (p.label.equals(s)) {
          return p;
        }
      }
      return null;
    }
  }

  /**
   * Settings of one upstream server.
   *
   * @param pinning this server's mode ({@code servers.<name>.pinning}), or null for the default
   */
  public record Server(Pinning pinning) {
    public static final Server DEFAULT = new Server(null);
  }
}
