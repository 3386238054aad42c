package io.mcpwarden.core.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * SHA-256 pins of SubjectPublicKeyInfo, written in base64 as in HPKP and OkHttp.
 *
 * <p>A pin names a key rather than a certificate, so it survives a renewal that keeps the key,
 * and pinning the issuing CA's key survives any renewal by that CA.
 */
public final class SpkiPins {
  /** How to compute a pin, for error messages. */
  public static final String HOW_TO = "openssl x509 -in cert.pem -pubkey -noout | openssl pkey -pubin -outform der"
      + " | openssl dgst -sha256 -binary | base64";

  private static final String PREFIX = "sha256/";

  private SpkiPins() {}

  /**
   * A pin in canonical form (base64 of 32 bytes, without prefix).
   *
   * @param pin base64, optionally prefixed with {@code sha256/}
   * @throws IllegalArgumentException if it is not the base64 of 32 bytes
   */
  public static String parse(String pin) {
    String p = pin.strip();
    if (p.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      p = p.substring(PREFIX.length());
    }
    byte[] hash;
    try {
      hash = Base64.getDecoder().decode(p);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + pin + "' is not base64");
    }
    if (hash.length != 32) {
      throw new IllegalArgumentException("'" + pin + "' is " + hash.length + " bytes; a SHA-256 pin is 32 bytes (44 base64 characters)");
    }
    return Base64.getEncoder().encodeToString(hash);
  }

  /** Canonical pins of a configured list. */
  public static Set<String> parseAll(List<String> pins) {
    Set<String> out = new LinkedHashSet<>();
    for (String p : pins) {
      out.add(parse(p));
    }
    return Set.copyOf(out);
  }

  /** The pin of a certificate's public key. */
  public static String of(Certificate cert) {
    try {
      byte[] spki = cert.getPublicKey().getEncoded();
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
