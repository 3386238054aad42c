package io.mcpwarden.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed EC certificate and its PKCS#8 key as PEM files, made with the JDK's
 * {@code keytool} for tests (no network, no extra library).
 *
 * @param certFile PEM certificate
 * @param keyFile PEM PKCS#8 key
 */
public record SelfSigned(Path certFile, Path keyFile, X509Certificate certificate) {
  private static final String PASSWORD = "self-signed";

  /** A pair for {@code CN=<name>}, valid for localhost and 127.0.0.1, written under {@code dir}. */
  public static SelfSigned create(Path dir, String name) {
    Path store = dir.resolve(name + ".p12");
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-genkeypair", "-alias", "k", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=" + name, "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30",
        "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + out);
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, PASSWORD.toCharArray());
      }
      X509Certificate cert = (X509Certificate) ks.getCertificate("k");
      PrivateKey key = (PrivateKey) ks.getKey("k", PASSWORD.toCharArray());
      Path certFile = dir.resolve(name + "-cert.pem");
      Path keyFile = dir.resolve(name + "-key.pem");
      Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
      Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
      return new SelfSigned(certFile, keyFile, cert);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** Copies this pair over {@code cert} and {@code key} (as a renewal tool would). */
  public void copyTo(Path cert, Path key) {
    try {
      Files.copy(certFile, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.copy(keyFile, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
