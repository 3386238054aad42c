package io.mcpwarden.core.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.HexFormat;
import java.util.List;

/**
 * A certificate chain and the private key of its first certificate, checked to belong together.
 *
 * <p>The check matters at reload: a renewal tool that writes the certificate before the key
 * must not leave the listener with a pair that cannot complete a handshake.
 *
 * @param chain the owner's certificate first, then its issuers
 * @param key the private key of {@code chain.get(0)}
 */
public record KeyMaterial(List<X509Certificate> chain, PrivateKey key) {
  private static final SecureRandom RANDOM = new SecureRandom();

  public KeyMaterial {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("empty certificate chain");
    }
  }

  /** Reads both PEM files and checks that the key belongs to the chain's first certificate. */
  public static KeyMaterial load(Path certFile, Path keyFile) throws TlsMaterialException {
    List<X509Certificate> chain = PemFiles.certificates(certFile);
    PrivateKey key = PemFiles.privateKey(keyFile);
    if (!matches(chain.getFirst().getPublicKey(), key)) {
      for (int i = 1; i < chain.size(); i++) {
        if (matches(chain.get(i).getPublicKey(), key)) {
          throw new TlsMaterialException(certFile + ": the key in " + keyFile + " belongs to certificate " + (i + 1)
              + " of the chain; put that certificate first, followed by its issuers");
        }
      }
      throw new TlsMaterialException(keyFile + ": this key does not belong to the first certificate of " + certFile
          + " (" + chain.getFirst().getSubjectX500Principal().getName() + ")");
    }
    return new KeyMaterial(chain, key);
  }

  /** The leaf certificate. */
  public X509Certificate certificate() {
    return chain.getFirst();
  }

  /**
   * An in-memory PKCS#12 key store holding this pair under {@code alias}.
   *
   * @param password protects the entry inside the store; it never leaves memory
   */
  public KeyStore toKeyStore(String alias, char[] password) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(alias, key, password, chain.toArray(new X509Certificate[0]));
      return ks;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build an in-memory key store: " + e.getMessage(), e);
    }
  }

  /** A random password for an in-memory key store. */
  public static char[] randomPassword() {
    byte[] b = new byte[18];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b).toCharArray();
  }

  /** A one-line description for logs: subject, serial, expiry. */
  public String describe() {
    X509Certificate c = certificate();
    return "'" + c.getSubjectX500Principal().getName() + "' serial " + c.getSerialNumber().toString(16)
        + ", valid until " + c.getNotAfter().toInstant();
  }

  /** Whether {@code key} is the private half of {@code pub}: same modulus for RSA, else a test signature. */
  static boolean matches(PublicKey pub, PrivateKey key) {
    if (pub instanceof RSAKey rsaPub && key instanceof RSAKey rsaKey) {
      return rsaPub.getModulus().equals(rsaKey.getModulus());
    }
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
      default -> null;
    };
    if (algorithm == null || !pub.getAlgorithm().equals(key.getAlgorithm())
        && !(algorithm.equals("EdDSA") && pub.getAlgorithm().startsWith("Ed"))) {
      return false;
    }
    try {
      byte[] probe = "mcp-warden key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] sig = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(pub);
      verifier.update(probe);
      return verifier.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
