package io.mcpwarden.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM certificates and PKCS#8 keys: the formats read, and a useful error for every other one. */
class PemFilesTest {
  @TempDir static Path dir;
  static TestPki pki;
  static TestPki.Issued rsa;
  static TestPki.Issued ec;

  @BeforeAll
  static void issue() {
    pki = TestPki.create(dir, "pem-ca");
    rsa = pki.issue("rsa-leaf", "RSA", "dns:localhost");
    ec = pki.issue("ec-leaf", "EC", "dns:localhost,ip:127.0.0.1");
  }

  @Test
  void readsAChainInFileOrder() throws Exception {
    List<X509Certificate> chain = PemFiles.certificates(ec.certFile());
    assertThat(chain).hasSize(2);
    assertThat(chain.get(0)).isEqualTo(ec.certificate());
    assertThat(chain.get(1)).isEqualTo(pki.caCertificate());
  }

  @Test
  void readsRsaAndEcPkcs8Keys() throws Exception {
    assertThat(PemFiles.privateKey(rsa.keyFile())).isInstanceOf(RSAPrivateKey.class).isEqualTo(rsa.key());
    assertThat(PemFiles.privateKey(ec.keyFile())).isInstanceOf(ECPrivateKey.class).isEqualTo(ec.key());
  }

  @Test
  void toleratesCrlfTextAroundBlocksAndOtherBlocksInACertificateFile() throws Exception {
    Path f = dir.resolve("mixed.pem");
    String text = "subject=CN=ec-leaf\r\n" + Files.readString(ec.certFile()).replace("\n", "\r\n") + Files.readString(ec.keyFile());
    Files.writeString(f, text);
    assertThat(PemFiles.certificates(f)).hasSize(2);
    assertThat(PemFiles.privateKey(f)).isEqualTo(ec.key());
  }

  @Test
  void keyMaterialPairsTheKeyWithTheFirstCertificate() throws Exception {
    KeyMaterial m = KeyMaterial.load(rsa.certFile(), rsa.keyFile());
    assertThat(m.certificate()).isEqualTo(rsa.certificate());
    assertThat(m.describe()).contains("CN=rsa-leaf").contains("valid until");
    assertThat(m.toKeyStore("x", "pw".toCharArray()).getCertificateChain("x")).hasSize(2);
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() {
    assertThatThrownBy(() -> KeyMaterial.load(rsa.certFile(), ec.keyFile()))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessageContaining("does not belong to the first certificate").hasMessageContaining("CN=rsa-leaf");
    assertThatThrownBy(() -> KeyMaterial.load(ec.certFile(), rsa.keyFile()))
        .hasMessageContaining("does not belong to the first certificate");
  }

  @Test
  void aChainInTheWrongOrderSaysWhichCertificateGoesFirst() throws Exception {
    Path f = dir.resolve("reversed.pem");
    pki.writePem(f, List.of(pki.caCertificate(), ec.certificate()));
    assertThatThrownBy(() -> KeyMaterial.load(f, ec.keyFile()))
        .hasMessageContaining("belongs to certificate 2 of the chain; put that certificate first");
  }

  @Test
  void traditionalRsaAndEcKeysGetTheOpensslConversion() throws IOException {
    Path rsaPkcs1 = write("pkcs1.pem", TestPki.pem("RSA PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}));
    assertThatThrownBy(() -> PemFiles.privateKey(rsaPkcs1))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessageContaining(rsaPkcs1.toString())
        .hasMessageContaining("traditional RSA key (BEGIN RSA PRIVATE KEY)")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in pkcs1.pem -out key-pkcs8.pem");
    Path sec1 = write("sec1.pem", TestPki.pem("EC PRIVATE KEY", new byte[] {0x30, 0x00}));
    assertThatThrownBy(() -> PemFiles.privateKey(sec1)).hasMessageContaining("traditional EC key").hasMessageContaining("openssl pkcs8 -topk8");
  }

  @Test
  void encryptedKeysAreRefusedWithHowToDecrypt() throws IOException {
    Path pkcs8 = write("enc.pem", TestPki.pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00}));
    assertThatThrownBy(() -> PemFiles.privateKey(pkcs8))
        .hasMessageContaining("the private key is encrypted").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in enc.pem");
    Path legacy = write("legacy.pem", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n"
        + "MAMCAQA=\n-----END RSA PRIVATE KEY-----\n");
    assertThatThrownBy(() -> PemFiles.privateKey(legacy)).hasMessageContaining("an encrypted traditional RSA key");
  }

  @Test
  void wrongFileTypesAreNamed() throws Exception {
    assertThatThrownBy(() -> PemFiles.privateKey(ec.certFile())).hasMessageContaining("no private key found")
        .hasMessageContaining("BEGIN PRIVATE KEY");
    assertThatThrownBy(() -> PemFiles.certificates(ec.keyFile())).hasMessageContaining("no certificate found");
    Path der = dir.resolve("cert.der");
    Files.write(der, ec.certificate().getEncoded());
    assertThatThrownBy(() -> PemFiles.certificates(der)).hasMessageContaining("not a PEM file").hasMessageContaining("binary DER");
    Path ssh = write("id_ed25519", TestPki.pem("OPENSSH PRIVATE KEY", new byte[] {1, 2, 3}));
    assertThatThrownBy(() -> PemFiles.privateKey(ssh)).hasMessageContaining("OpenSSH key").hasMessageContaining("not a TLS key");
    Path two = write("two.pem", Files.readString(ec.keyFile()) + Files.readString(rsa.keyFile()));
    assertThatThrownBy(() -> PemFiles.privateKey(two)).hasMessageContaining("holds 2 private keys");
  }

  @Test
  void brokenBlocksAreRefused() throws IOException {
    Path noEnd = write("noend.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n");
    assertThatThrownBy(() -> PemFiles.certificates(noEnd)).hasMessageContaining("without its '-----END CERTIFICATE-----'");
    Path badBase64 = write("bad64.pem", "-----BEGIN CERTIFICATE-----\nMI*B\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> PemFiles.certificates(badBase64)).hasMessageContaining("not valid base64");
    Path notACert = write("notcert.pem", TestPki.pem("CERTIFICATE", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}));
    assertThatThrownBy(() -> PemFiles.certificates(notACert)).hasMessageContaining("certificate 1 is not a valid X.509 certificate");
    Path garbageKey = write("garbage-key.pem", TestPki.pem("PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}));
    assertThatThrownBy(() -> PemFiles.privateKey(garbageKey)).hasMessageContaining("not an RSA, EC or EdDSA private key");
  }

  @Test
  void missingAndOversizedFiles() throws IOException {
    Path missing = dir.resolve("nope.pem");
    assertThatThrownBy(() -> PemFiles.certificates(missing)).hasMessage("cannot read " + missing + ": no such file");
    Path big = dir.resolve("big.pem");
    Files.write(big, new byte[(int) PemFiles.MAX_FILE_BYTES + 1]);
    assertThatThrownBy(() -> PemFiles.certificates(big)).hasMessageContaining("too large");
  }

  private static Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }
}
