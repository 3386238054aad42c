package io.mcpwarden.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA for tests, made with the JDK's {@code keytool} (no network, no BouncyCastle):
 * certificates signed by it, written as PEM chain and PKCS#8 key files.
 */
public final class TestPki {
  private static final String PASSWORD = "test-pki";

  private final Path dir;
  private final Path store;
  private final X509Certificate ca;

  /** A certificate and key as the gateway reads them. */
  public record Issued(Path certFile, Path keyFile, X509Certificate certificate, PrivateKey key) {}

  private TestPki(Path dir, Path store, X509Certificate ca) {
    this.dir = dir;
    this.store = store;
    this.ca = ca;
  }

  /** A new CA (EC P-256) named {@code CN=<name>} with its files under {@code dir}. */
  public static TestPki create(Path dir, String name) {
    Path store = dir.resolve(name + ".p12");
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
        "-ext", "bc:c", "-validity", "30", "-keystore", store.toString(), "-storetype", "PKCS12",
        "-storepass", PASSWORD, "-keypass", PASSWORD);
    X509Certificate ca;
    try {
      ca = (X509Certificate) load(store).getCertificate("ca");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    TestPki pki = new TestPki(dir, store, ca);
    pki.writePem(dir.resolve(name + "-ca.pem"), List.of(pki.ca));
    return pki;
  }

  public X509Certificate caCertificate() {
    return ca;
  }

  /** The CA certificate as a PEM bundle file. */
  public Path caFile() {
    return dir.resolve(ca.getSubjectX500Principal().getName().substring(3) + "-ca.pem");
  }

  /**
   * A certificate signed by this CA for {@code CN=<alias>}.
   *
   * @param keyAlgorithm {@code RSA} or {@code EC}
   * @param san subject alternative names in keytool syntax ({@code dns:localhost,ip:127.0.0.1}), or null
   */
  public Issued issue(String alias, String keyAlgorithm, String san) {
    List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-dname", "CN=" + alias,
        "-signer", "ca", "-signerkeypass", PASSWORD, "-validity", "30",
        "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
    args.addAll(keyAlgorithm.equals("EC") ? List.of("-keyalg", "EC", "-groupname", "secp256r1") : List.of("-keyalg", "RSA", "-keysize", "2048"));
    if (san != null) {
      args.addAll(List.of("-ext", "SAN=" + san));
    }
    keytool(args.toArray(new String[0]));
    try {
      KeyStore ks = load(store);
      PrivateKey key = (PrivateKey) ks.getKey(alias, PASSWORD.toCharArray());
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : ks.getCertificateChain(alias)) {
        chain.add((X509Certificate) c);
      }
      if (chain.size() == 1) {
        chain.add(ca);
      }
      Path cert = dir.resolve(alias + "-chain.pem");
      Path keyFile = dir.resolve(alias + "-key.pem");
      writePem(cert, chain);
      Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
      return new Issued(cert, keyFile, chain.getFirst(), key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** PEM text of one block. */
  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  public void writePem(Path file, List<X509Certificate> certs) {
    StringBuilder sb = new StringBuilder();
    try {
      for (X509Certificate c : certs) {
        sb.append(pem("CERTIFICATE", c.getEncoded()));
      }
      Files.writeString(file, sb);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static KeyStore load(Path store) {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD.toCharArray());
      return ks;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void keytool(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    // A short-lived JVM: no JIT tiers or parallel GC worth starting.
    cmd.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
    cmd.addAll(Arrays.asList(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
