package io.mcpwarden.core.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Normal certificate validation, then a check that the server's chain holds a pinned key.
 *
 * <p>Pinning never widens trust: the delegate (PKIX, with host name verification from the
 * engine's parameters) decides first, and a chain without a pinned key fails the handshake. A
 * pin may name the server's key, an intermediate's, or the key of the trust anchor that issued
 * the chain's last certificate (a root CA is usually not sent by the server).
 */
final class PinningTrustManager extends X509ExtendedTrustManager {
  private static final Logger LOG = LoggerFactory.getLogger(PinningTrustManager.class);

  private final String server;
  private final X509ExtendedTrustManager delegate;
  private final Set<String> pins;
  private final List<X509Certificate> anchors;

  /**
   * @param server the upstream's name, for the error
   * @param pins canonical base64 SHA-256 SPKI hashes (see {@link SpkiPins})
   * @param anchors the configured CA certificates (may be empty), so that a pinned root that the
   *     server does not send can still match
   */
  PinningTrustManager(String server, X509ExtendedTrustManager delegate, Set<String> pins, List<X509Certificate> anchors) {
    this.server = Objects.requireNonNull(server, "server");
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.pins = Set.copyOf(pins);
    this.anchors = List.copyOf(anchors);
    if (this.pins.isEmpty()) {
      throw new IllegalArgumentException("no pins");
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    delegate.checkServerTrusted(chain, authType, engine);
    checkPins(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    delegate.checkServerTrusted(chain, authType, socket);
    checkPins(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
    checkPins(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    delegate.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }

  void checkPins(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("upstream '" + server + "': no certificate to check against the pins");
    }
    List<String> seen = new ArrayList<>();
    for (X509Certificate c : chain) {
      String pin = SpkiPins.of(c);
      if (pins.contains(pin)) {
        return;
      }
      seen.add(pin);
    }
    X509Certificate last = chain[chain.length - 1];
    for (X509Certificate anchor : anchors) {
      if (pins.contains(SpkiPins.of(anchor)) && issued(anchor, last)) {
        return;
      }
    }
    // The chain's own pins go to the log in full: the error may be cut short where it is shown.
    LOG.warn("upstream '{}': certificate pin mismatch, connection refused; the server's chain ({}) has the keys {}",
        server, chain[0].getSubjectX500Principal().getName(), seen);
    throw new CertificateException("upstream '" + server + "': certificate pin mismatch: no key of the server's chain is in servers."
        + server + ".tls.pin-sha256; refusing the connection (chain keys: " + String.join(", ", seen) + ")");
  }

  private static boolean issued(X509Certificate issuer, X509Certificate cert) {
    if (!issuer.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
      return false;
    }
    try {
      cert.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
