package io.mcpwarden.core.secret;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 256-bit AES key of a secret store, read from a key file (32 raw random bytes, mode 0600)
 * or from an environment variable holding those bytes in base64.
 *
 * <p>The key carries a short public id (a hash of the key) that is written into the store's
 * header, so opening a store with another key fails with "wrong key" rather than with a vague
 * integrity error.
 */
public final class StoreKey {
  /** Key length in bytes: AES-256. */
  public static final int BYTES = 32;

  /** Length of the key id stored in the file header. */
  static final int ID_BYTES = 8;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] ID_LABEL = "mcp-warden secret-store key id v1".getBytes(StandardCharsets.US_ASCII);

  private final byte[] key;
  private final byte[] id;

  private StoreKey(byte[] key) {
    if (key.length != BYTES) {
      throw new SecretStoreException("a store key must be " + BYTES + " bytes, not " + key.length);
    }
    this.key = key.clone();
    this.id = idOf(this.key);
  }

  /** A fresh random key. */
  public static StoreKey generate() {
    byte[] k = new byte[BYTES];
    RANDOM.nextBytes(k);
    try {
      return new StoreKey(k);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /**
   * Reads a key file: exactly 32 bytes, not accessible to other users.
   *
   * @throws SecretStoreException when the file is missing, too open or of the wrong size
   */
  public static StoreKey fromFile(Path file) {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new SecretStoreException("key file " + file + " does not exist");
    }
    FilePermissions.requireOwnerOnly(file, "key file");
    byte[] k;
    try {
      if (Files.size(file) != BYTES) {
        throw new SecretStoreException("key file " + file + " must hold exactly " + BYTES + " bytes (it holds "
            + Files.size(file) + "); it is not a key made by mcp-warden");
      }
      k = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new SecretStoreException("key file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new SecretStoreException("cannot read key file " + file + ": " + e.getMessage(), e);
    }
    try {
      return new StoreKey(k);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /**
   * Decodes a base64 key (standard or URL-safe alphabet, padding optional).
   *
   * @param source names where the text came from (an environment variable), for error messages
   */
  public static StoreKey fromBase64(String source, String text) {
    byte[] k;
    try {
      String t = text.strip();
      k = (t.indexOf('-') >= 0 || t.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(t);
    } catch (IllegalArgumentException e) {
      throw new SecretStoreException(source + " is not valid base64 (expected " + BYTES + " random bytes in base64)");
    }
    if (k.length != BYTES) {
      Arrays.fill(k, (byte) 0);
      throw new SecretStoreException(source + " must decode to " + BYTES + " bytes, not " + k.length);
    }
    try {
      return new StoreKey(k);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /**
   * Writes this key to a new file created with mode 0600 (the mode is set at creation, so the
   * key is never readable by others, not even for an instant).
   *
   * @throws SecretStoreException if the file already exists: a key is never overwritten
   */
  public void writeNewFile(Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        FilePermissions.createPrivateDirectories(dir);
      }
      try (FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          FilePermissions.ownerOnlyFile())) {
        ByteBuffer buf = ByteBuffer.wrap(key.clone());
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        Arrays.fill(buf.array(), (byte) 0);
        ch.force(true);
      }
      if (FilePermissions.posix()) {
        // The umask can only remove bits; set the mode explicitly anyway, so it is exactly 0600.
        Files.setPosixFilePermissions(file, FilePermissions.OWNER_READ_WRITE);
      }
    } catch (FileAlreadyExistsException e) {
      throw new SecretStoreException("key file " + file + " already exists; refusing to overwrite a key", e);
    } catch (IOException e) {
      throw new SecretStoreException("cannot write key file " + file + ": " + e.getMessage(), e);
    }
  }

  /** This key in base64, for putting into an environment variable. */
  public String toBase64() {
    return Base64.getEncoder().encodeToString(key);
  }

  /** The public id of this key (hex), safe to print. */
  public String id() {
    return HexFormat.of().formatHex(id);
  }

  byte[] idBytes() {
    return id.clone();
  }

  SecretKey aesKey() {
    return new SecretKeySpec(key, "AES");
  }

  /** Constant-time. */
  boolean sameAs(StoreKey other) {
    return MessageDigest.isEqual(key, other.key);
  }

  private static byte[] idOf(byte[] key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(ID_LABEL);
      return Arrays.copyOf(sha.digest(key), ID_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  @Override
  public String toString() {
    return "StoreKey[id=" + id() + "]";
  }
}
