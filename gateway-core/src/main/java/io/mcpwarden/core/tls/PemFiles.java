package io.mcpwarden.core.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificate chains and PKCS#8 private keys with JDK classes only.
 *
 * <p>Only unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}) is accepted: it is what every tool can
 * produce, and the JDK reads it without extra libraries. Other key formats get an error that
 * says which {@code openssl} command converts them.
 */
public final class PemFiles {
  /** Larger files are not certificates or keys; refuse them before reading them into memory. */
  static final long MAX_FILE_BYTES = 1024 * 1024;

  private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");
  /** Key types that PKCS#8 may hold; each is tried until one parses. */
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "RSASSA-PSS", "EdDSA");
  private static final String TO_PKCS8 = "openssl pkcs8 -topk8 -nocrypt -in KEY.pem -out key-pkcs8.pem";

  private PemFiles() {}

  /** One {@code -----BEGIN type-----} ... {@code -----END type-----} block, decoded. */
  record Block(String type, byte[] der, boolean hasHeaders) {}

  /** The certificates of a PEM file in file order; other block types are skipped. */
  public static List<X509Certificate> certificates(Path file) throws TlsMaterialException {
    List<X509Certificate> out = new ArrayList<>();
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
    }
    int n = 0;
    for (Block b : blocks(file)) {
      if (!b.type().equals("CERTIFICATE")) {
        continue;
      }
      n++;
      try {
        out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
      } catch (CertificateException | ClassCastException e) {
        throw new TlsMaterialException(file + ": certificate " + n + " is not a valid X.509 certificate (" + e.getMessage() + ")");
      }
    }
    if (out.isEmpty()) {
      throw new TlsMaterialException(file + ": no certificate found; expected PEM blocks '-----BEGIN CERTIFICATE-----'");
    }
    return List.copyOf(out);
  }

  /** The one private key of a PEM file, which must be unencrypted PKCS#8. */
  public static PrivateKey privateKey(Path file) throws TlsMaterialException {
    List<Block> keys = blocks(file).stream().filter(b -> b.type().endsWith("PRIVATE KEY")).toList();
    if (keys.isEmpty()) {
      throw new TlsMaterialException(file + ": no private key found; expected a PKCS#8 PEM block '-----BEGIN PRIVATE KEY-----'");
    }
    if (keys.size() > 1) {
      throw new TlsMaterialException(file + ": holds " + keys.size() + " private keys; put exactly one in the key file");
    }
    Block key = keys.getFirst();
    String convert = TO_PKCS8.replace("KEY.pem", file.getFileName().toString());
    switch (key.type()) {
      case "PRIVATE KEY" -> {}
      case "ENCRYPTED PRIVATE KEY" -> throw new TlsMaterialException(file + ": the private key is encrypted (BEGIN ENCRYPTED PRIVATE KEY);"
          + " the gateway reads only unencrypted PKCS#8 keys. Decrypt it into a file only the gateway can read: "
          + convert + " && chmod 600 key-pkcs8.pem");
      case "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY" -> {
        String what = key.type().substring(0, key.type().indexOf(' '));
        throw new TlsMaterialException(file + ": " + (key.hasHeaders() ? "an encrypted " : "a ") + "traditional " + what
            + " key (BEGIN " + key.type() + "); the gateway needs PKCS#8 (BEGIN PRIVATE KEY). Convert it with: " + convert);
      }
      case "OPENSSH PRIVATE KEY" -> throw new TlsMaterialException(file + ": an OpenSSH key (BEGIN OPENSSH PRIVATE KEY) is not a TLS key;"
          + " use the PKCS#8 key that goes with the certificate (BEGIN PRIVATE KEY)");
      default -> throw new TlsMaterialException(file + ": unsupported key block 'BEGIN " + key.type()
          + "'; the gateway needs PKCS#8 (BEGIN PRIVATE KEY), e.g. from: " + convert);
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(key.der());
    try {
      for (String algorithm : KEY_ALGORITHMS) {
        try {
          return KeyFactory.getInstance(algorithm).generatePrivate(spec);
        } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
          // not this type: try the next one
        }
      }
    } finally {
      Arrays.fill(key.der(), (byte) 0);
    }
    throw new TlsMaterialException(file + ": the PKCS#8 block is not an RSA, EC or EdDSA private key the JDK can read");
  }

  /** Every PEM block of a file, base64-decoded strictly. */
  static List<Block> blocks(Path file) throws TlsMaterialException {
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new TlsMaterialException(file + ": " + size + " bytes is too large for a PEM certificate or key file");
      }
      text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new TlsMaterialException("cannot read " + file + ": " + describe(e), e);
    }
    List<Block> out = new ArrayList<>();
    Matcher begin = BEGIN.matcher(text);
    int from = 0;
    while (begin.find(from)) {
      String type = begin.group(1);
      String endMarker = "-----END " + type + "-----";
      int end = text.indexOf(endMarker, begin.end());
      if (end < 0) {
        throw new TlsMaterialException(file + ": 'BEGIN " + type + "' without its '" + endMarker + "'");
      }
      String body = text.substring(begin.end(), end);
      // RFC 1421 headers (Proc-Type, DEK-Info) mark legacy encrypted keys; they end at a blank line.
      boolean headers = body.contains(":");
      if (headers) {
        int blank = body.replace("\r", "").indexOf("\n\n");
        body = blank < 0 ? "" : body.replace("\r", "").substring(blank + 2);
      }
      byte[] der;
      try {
        der = Base64.getDecoder().decode(body.replaceAll("\\s+", ""));
      } catch (IllegalArgumentException e) {
        throw new TlsMaterialException(file + ": the 'BEGIN " + type + "' block is not valid base64 (" + e.getMessage() + ")");
      }
      if (der.length == 0) {
        throw new TlsMaterialException(file + ": the 'BEGIN " + type + "' block is empty");
      }
      out.add(new Block(type, der, headers));
      from = end + endMarker.length();
    }
    if (out.isEmpty()) {
      throw new TlsMaterialException(file + ": not a PEM file (no '-----BEGIN ...-----' line)"
          + (text.indexOf('\0') >= 0 || (!text.isEmpty() && text.charAt(0) == 0x30) ? "; it looks like binary DER: "
              + "convert it with openssl x509 -inform der (certificates) or openssl pkcs8 -topk8 -nocrypt -inform der (keys)" : ""));
    }
    return out;
  }

  private static String describe(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException ? "no such file"
        : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }
}
