package io.mcpwarden.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The HTTPS listener ({@code listen.tls}): certificate chain and key files, protocol versions,
 * HSTS and certificate reload.
 *
 * <p>Files rather than a keystore because certificate tooling (ACME clients, cert-manager, a
 * corporate CA) writes PEM; watching them lets a renewed certificate take effect without a
 * restart.
 *
 * @param certFile PEM certificate chain, the gateway's own certificate first
 * @param keyFile PEM PKCS#8 private key ({@code BEGIN PRIVATE KEY}) matching the first certificate
 * @param protocols TLS versions offered, from {@link #SUPPORTED_PROTOCOLS}
 * @param hsts the Strict-Transport-Security header on every HTTPS response; null for none
 * @param reloadInterval how often the two files are checked for a change; null when reload is off
 */
public record TlsConfig(Path certFile, Path keyFile, List<String> protocols, Hsts hsts, Duration reloadInterval) {

  /** The versions that may be enabled; older ones are broken. */
  public static final List<String> SUPPORTED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /** TLS 1.3 only unless TLS 1.2 is listed. */
  public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3");

  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(5);

  public TlsConfig {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    protocols = List.copyOf(protocols);
    if (protocols.isEmpty() || !SUPPORTED_PROTOCOLS.containsAll(protocols)) {
      throw new IllegalArgumentException("TLS protocols must be among " + SUPPORTED_PROTOCOLS + ": " + protocols);
    }
  }

  /** TLS 1.3 only, HSTS for a year, reload every five seconds. */
  public static TlsConfig of(Path certFile, Path keyFile) {
    return new TlsConfig(certFile, keyFile, DEFAULT_PROTOCOLS, Hsts.DEFAULT, DEFAULT_RELOAD_INTERVAL);
  }

  /**
   * The HTTP Strict Transport Security policy sent to browsers.
   *
   * @param maxAge how long a browser keeps to HTTPS for this host
   * @param includeSubdomains whether the policy covers every subdomain too
   */
  public record Hsts(Duration maxAge, boolean includeSubdomains) {
    public static final Hsts DEFAULT = new Hsts(Duration.ofDays(365), false);

    public Hsts {
      Objects.requireNonNull(maxAge, "maxAge");
    }
  }
}
