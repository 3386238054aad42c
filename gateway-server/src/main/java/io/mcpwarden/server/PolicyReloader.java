package io.mcpwarden.server;

import io.mcpwarden.core.audit.AuditEvent;
import io.mcpwarden.core.audit.AuditLog;
import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.PolicyConfig;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.policy.LivePolicy;
import io.mcpwarden.core.policy.Policy;
import io.mcpwarden.core.policy.PolicyCompileException;
import io.mcpwarden.server.config.ConfigException;
import io.mcpwarden.server.config.PolicyFileReader;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles the configured policy at start and puts a changed {@code policy.file} in force.
 *
 * <p>A reload reads and compiles the whole file first and swaps one reference only when all of
 * it is valid, so a half-edited or broken file never weakens the policy in force: the old one
 * stays, and the failure is logged and audited ({@code policy.reload}, decision {@code error}).
 */
final class PolicyReloader {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyReloader.class);

  private final PolicyConfig config;
  private final Map<String, PolicyConfig.Server> labels;
  private final LivePolicy live;
  private final AuditLog audit;
  private final Clock clock;
  private byte[] loadedDigest;
  private byte[] pendingDigest;

  PolicyReloader(GatewayConfig config, LivePolicy live, AuditLog audit, Clock clock) {
    this.config = config.policy();
    this.labels = labels(config);
    this.live = live;
    this.audit = audit;
    this.clock = clock;
    this.loadedDigest = this.config.file() == null ? null : digest();
  }

  /** The policy at start; a configuration not checked by the loader can still fail here. */
  static Policy initial(GatewayConfig config) {
    if (!config.policy().enabled()) {
      return Policy.allowAll(config.policy());
    }
    try {
      return Policy.compile(config.policy(), labels(config));
    } catch (PolicyCompileException e) {
      throw new IllegalStateException("invalid policy: rules[" + e.problems().getFirst().rule() + "]: " + e.getMessage(), e);
    }
  }

  private static Map<String, PolicyConfig.Server> labels(GatewayConfig config) {
    Map<String, PolicyConfig.Server> m = new LinkedHashMap<>();
    for (ServerConfig sc : config.servers()) {
      m.put(sc.name(), sc.policy());
    }
    return m;
  }

  /** Checks the file for changes every {@code policy.reload-interval}, when one is set. */
  void schedule(ScheduledExecutorService executor) {
    if (config.file() == null || config.reloadInterval().isZero()) {
      return;
    }
    long ms = config.reloadInterval().toMillis();
    executor.scheduleWithFixedDelay(this::reloadIfChanged, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * Reloads once the file has changed and then stayed the same for one interval, so a file
   * caught half-written (an editor saving in place) is never put in force, even when the half
   * happens to be valid YAML with fewer rules.
   */
  private void reloadIfChanged() {
    try {
      byte[] now = digest();
      synchronized (this) {
        if (now == null || Arrays.equals(now, loadedDigest)) {
          pendingDigest = null;
          return;
        }
        if (!Arrays.equals(now, pendingDigest)) {
          pendingDigest = now; // changed: wait one interval for it to settle
          return;
        }
      }
      reload();
    } catch (IllegalStateException e) {
      // already logged and audited by reload(); the policy in force stays
    } catch (RuntimeException e) {
      LOG.warn("policy reload failed; the policy in force stays: {}", e.getMessage());
    }
  }

  /** Reads, compiles and swaps; throws (keeping the old policy) when the file is invalid. */
  synchronized long reload() {
    if (config.file() == null) {
      throw new IllegalStateException("no policy.file configured: inline rules change with the configuration");
    }
    byte[] digest = digest();
    Policy next;
    try {
      next = Policy.compile(config.withRules(PolicyFileReader.read(config.file())), labels);
    } catch (ConfigException e) {
      loadedDigest = digest; // do not retry the same broken content every interval
      return failed(e.getMessage());
    } catch (PolicyCompileException e) {
      loadedDigest = digest;
      StringBuilder why = new StringBuilder();
      for (PolicyCompileException.Problem p : e.problems()) {
        why.append("\n  - rules[").append(p.rule()).append("].").append(p.field()).append(": ").append(p.describe());
      }
      return failed("Invalid policy " + config.file() + ":" + why);
    }
    long version = live.swap(next);
    loadedDigest = digest;
    LOG.info("policy {} reloaded: version {}, {} rules, default {}", config.file(), version, next.rules().rules().size(),
        next.rules().defaultEffect().id());
    audit.append(new AuditEvent(clock.instant(), "policy.reload", "admin", null, null, null, config.file().toString(), "allow",
        0, 0, 0, "version " + version + ", " + next.rules().rules().size() + " rules"));
    return version;
  }

  private long failed(String why) {
    LOG.error("policy reload refused, the policy in force stays: {}", why);
    audit.append(new AuditEvent(clock.instant(), "policy.reload", "admin", null, null, null, config.file().toString(), "error",
        0, 0, 0, why));
    throw new IllegalStateException(why);
  }

  private byte[] digest() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(config.file()));
    } catch (IOException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
