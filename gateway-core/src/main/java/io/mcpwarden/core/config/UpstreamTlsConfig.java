package io.mcpwarden.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * TLS towards one HTTPS upstream ({@code servers.<name>.tls}): whom to trust, which keys to
 * pin, and the gateway's client certificate.
 *
 * <p>Internal MCP servers often carry certificates of a private CA and may demand a client
 * certificate; pinning narrows trust further to keys the operator knows.
 *
 * @param caFile PEM bundle of CA certificates that replaces the JDK's default trust; null keeps it
 * @param pinSha256 base64 SHA-256 hashes of SubjectPublicKeyInfo; the upstream's chain must
 *     contain one of these keys (checked after normal validation). Empty: no pinning
 * @param clientCertFile PEM certificate chain presented to the upstream (mTLS); null for none
 * @param clientKeyFile PEM PKCS#8 key of {@code clientCertFile}; set exactly when it is
 */
public record UpstreamTlsConfig(Path caFile, List<String> pinSha256, Path clientCertFile, Path clientKeyFile) {

  /** Default trust, no pins, no client certificate. */
  public static final UpstreamTlsConfig DEFAULT = new UpstreamTlsConfig(null, List.of(), null, null);

  public UpstreamTlsConfig {
    pinSha256 = pinSha256 == null ? List.of() : List.copyOf(pinSha256);
    if ((clientCertFile == null) != (clientKeyFile == null)) {
      throw new IllegalArgumentException("client-cert-file and client-key-file go together");
    }
  }

  /** Whether anything differs from the JDK's default client TLS. */
  public boolean isDefault() {
    return caFile == null && pinSha256.isEmpty() && clientCertFile == null;
  }
}
