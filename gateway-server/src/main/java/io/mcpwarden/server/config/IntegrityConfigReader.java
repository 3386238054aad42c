package io.mcpwarden.server.config;

import io.mcpwarden.core.config.IntegrityConfig;
import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * Reads the top-level {@code integrity} section and the per-server keys that belong to it.
 *
 * <p>Kept apart from {@link ConfigLoader} so the section's keys and checks live in one file.
 *
 * <pre>
 * integrity:
 *   store: ${warden.home}/data/integrity.db      # SQLite file (default: data/integrity.db under the home)
 *   default-pinning: require-approval            # or trust-on-first-use
 * servers:
 *   NAME:
 *     pinning: trust-on-first-use                # this server's mode (default: integrity.default-pinning)
 * </pre>
 */
final class IntegrityConfigReader {
  private final BiFunction<YamlNode, String, String> expand;
  private final Path home;

  IntegrityConfigReader(BiFunction<YamlNode, String, String> expand, Path home) {
    this.expand = expand;
    this.home = home;
  }

  /** The top-level {@code integrity:} section (missing node: defaults). */
  IntegrityConfig read(YamlNode n) {
    YamlNode storeNode = n.get("store");
    Path store = home.resolve("data").resolve("integrity.db");
    if (!storeNode.isMissing()) {
      String s = expand.apply(storeNode, storeNode.string(null));
      if (s == null || s.isBlank()) {
        storeNode.error("must be a file path");
      } else {
        store = home.resolve(s).normalize();
      }
    }
    IntegrityConfig.Pinning dflt = pinning(n.get("default-pinning"), IntegrityConfig.Pinning.REQUIRE_APPROVAL);
    double threshold = detectorThreshold(n.get("detector"));
    n.rejectUnknownKeys();
    return new IntegrityConfig(store, dflt, threshold);
  }

  /**
   * This section's keys in one server's entry. Reads only its own keys from {@code serverNode};
   * the loader rejects keys nobody read.
   */
  IntegrityConfig.Server server(String serverName, YamlNode serverNode) {
    YamlNode p = serverNode.get("pinning");
    return p.isMissing() ? IntegrityConfig.Server.DEFAULT : new IntegrityConfig.Server(pinning(p, null));
  }

  private static IntegrityConfig.Pinning pinning(YamlNode n, IntegrityConfig.Pinning dflt) {
    if (n.isMissing()) {
      return dflt;
    }
    String s = n.string(null);
    IntegrityConfig.Pinning p = s == null ? null : IntegrityConfig.Pinning.parse(s);
    if (p == null) {
      n.error("must be require-approval or trust-on-first-use");
      return dflt;
    }
    return p;
  }

  /** {@code integrity.detector}: the poisoning detector's settings (missing: defaults). */
  private static double detectorThreshold(YamlNode detector) {
    double threshold = IntegrityConfig.DEFAULT_DETECTOR_THRESHOLD;
    if (detector.isMissing()) {
      return threshold;
    }
    if (!detector.isMap()) {
      detector.error("must be a mapping with the key threshold");
      return threshold;
    }
    YamlNode t = detector.get("threshold");
    if (!t.isMissing()) {
      if (t.raw() instanceof Number num && Double.isFinite(num.doubleValue()) && num.doubleValue() >= 0 && num.doubleValue() <= 1) {
        threshold = num.doubleValue();
      } else {
        t.error("must be a number from 0 to 1, e.g. 0.4 (was " + t.raw() + ")");
      }
    }
    detector.rejectUnknownKeys();
    return threshold;
  }
}
