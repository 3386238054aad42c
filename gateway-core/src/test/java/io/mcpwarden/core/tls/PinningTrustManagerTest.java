package io.mcpwarden.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPKI pins: checked after normal validation, matched on any key of the chain or the issuing anchor. */
class PinningTrustManagerTest {
  @TempDir static Path dir;
  static TestPki pki;
  static TestPki other;
  static TestPki.Issued leaf;
  static TestPki.Issued stranger;
  static X509ExtendedTrustManager pkix;

  @BeforeAll
  static void setUp() throws Exception {
    pki = TestPki.create(dir, "pin-ca");
    other = TestPki.create(dir, "other-ca");
    leaf = pki.issue("pinned", "EC", "dns:localhost");
    stranger = other.issue("stranger", "EC", "dns:localhost");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", pki.caCertificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    pkix = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
  }

  private static X509Certificate[] chain(TestPki.Issued issued, TestPki ca) {
    return new X509Certificate[] {issued.certificate(), ca.caCertificate()};
  }

  private static PinningTrustManager pinned(Set<String> pins) {
    return new PinningTrustManager("tickets", pkix, pins, List.of(pki.caCertificate()));
  }

  @Test
  void aPinIsTheBase64Sha256OfTheSubjectPublicKeyInfo() throws Exception {
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(leaf.certificate().getPublicKey().getEncoded());
    assertThat(SpkiPins.of(leaf.certificate())).isEqualTo(Base64.getEncoder().encodeToString(expected));
    assertThat(SpkiPins.parse("sha256/" + SpkiPins.of(leaf.certificate()))).isEqualTo(SpkiPins.of(leaf.certificate()));
  }

  @Test
  void malformedPinsAreRefused() {
    assertThatThrownBy(() -> SpkiPins.parse("not base64!")).hasMessageContaining("is not base64");
    assertThatThrownBy(() -> SpkiPins.parse(Base64.getEncoder().encodeToString(new byte[20])))
        .hasMessageContaining("is 20 bytes; a SHA-256 pin is 32 bytes");
  }

  @Test
  void theLeafKeyOrTheCaKeyInTheChainMatches() {
    assertThatCode(() -> pinned(Set.of(SpkiPins.of(leaf.certificate()))).checkServerTrusted(chain(leaf, pki), "UNKNOWN"))
        .doesNotThrowAnyException();
    assertThatCode(() -> pinned(Set.of(SpkiPins.of(pki.caCertificate()))).checkServerTrusted(chain(leaf, pki), "UNKNOWN"))
        .doesNotThrowAnyException();
  }

  @Test
  void thePinnedAnchorMatchesWhenTheServerSendsOnlyItsOwnCertificate() {
    X509Certificate[] leafOnly = {leaf.certificate()};
    assertThatCode(() -> pinned(Set.of(SpkiPins.of(pki.caCertificate()))).checkServerTrusted(leafOnly, "UNKNOWN"))
        .doesNotThrowAnyException();
  }

  @Test
  void aValidChainWithoutAPinnedKeyFailsClosedNamingTheServer() {
    String foreign = Base64.getEncoder().encodeToString(new byte[32]);
    assertThatThrownBy(() -> pinned(Set.of(foreign)).checkServerTrusted(chain(leaf, pki), "UNKNOWN"))
        .isInstanceOf(CertificateException.class)
        .hasMessageStartingWith("upstream 'tickets': certificate pin mismatch")
        .hasMessageContaining("servers.tickets.tls.pin-sha256")
        .hasMessageContaining(SpkiPins.of(leaf.certificate()));
  }

  @Test
  void aPinNeverWidensTrust() {
    // The stranger's own key is pinned, but its CA is not trusted: validation fails first.
    PinningTrustManager tm = pinned(Set.of(SpkiPins.of(stranger.certificate())));
    assertThatThrownBy(() -> tm.checkServerTrusted(chain(stranger, other), "UNKNOWN"))
        .isInstanceOf(CertificateException.class)
        .hasMessageNotContaining("pin mismatch");
  }

  @Test
  void anUnrelatedPinnedAnchorDoesNotMatch() {
    // The other CA's key is pinned and listed as an anchor, but it did not issue this chain.
    PinningTrustManager tm = new PinningTrustManager("t", pkix, Set.of(SpkiPins.of(other.caCertificate())),
        List.of(pki.caCertificate(), other.caCertificate()));
    assertThatThrownBy(() -> tm.checkServerTrusted(new X509Certificate[] {leaf.certificate()}, "UNKNOWN"))
        .hasMessageContaining("pin mismatch");
  }
}
