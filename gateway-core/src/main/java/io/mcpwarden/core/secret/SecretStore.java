package io.mcpwarden.core.secret;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A local file of named secrets, encrypted and authenticated with AES-256-GCM.
 *
 * <p>Why a file of our own: upstream credentials must be at rest encrypted and must not
 * sit in the configuration, which is versioned, diffed and shown. The configuration refers to a
 * secret by name ({@code ${secret:NAME}}); only this store holds the value.
 *
 * <p>File layout (version 1), all integers big-endian:
 *
 * <pre>
 *   magic    8 bytes  "MCPWSECR"
 *   version  1 byte   1
 *   key id   8 bytes  SHA-256("mcp-warden secret-store key id v1" || key)[0..8]
 *   nonce   12 bytes  random, new on every write
 *   sealed   n bytes  AES-256-GCM(plaintext) with a 128-bit tag; AAD = magic, version, key id
 * </pre>
 *
 * The plaintext is {@code int count}, then per secret {@code u16 name length, name (ASCII),
 * i32 value length, value (UTF-8)}, zero-padded to a multiple of 256 bytes so the file size
 * says little about the values. Every write goes to a temporary file in the same directory that
 * is synced and then renamed over the store, so a crash leaves the old or the new store, never
 * half of one; writers take a lock on {@code <store>.lock} so two CLI invocations cannot lose each
 * other's change.
 */
public final class SecretStore {
  /** The format version this build writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** Secret names: letters, digits, {@code _ . -}; starting with a letter or digit. */
  public static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");

  /** Largest accepted value. */
  public static final int MAX_VALUE_BYTES = 64 * 1024;

  /** Most secrets in one store. */
  public static final int MAX_SECRETS = 10_000;

  static final byte[] MAGIC = "MCPWSECR".getBytes(StandardCharsets.US_ASCII);
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  static final int HEADER_BYTES = MAGIC.length + 1 + StoreKey.ID_BYTES;
  private static final int PAD_TO = 256;
  private static final long MAX_FILE_BYTES = 64L * 1024 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path file;
  private final StoreKey key;

  private SecretStore(Path file, StoreKey key) {
    this.file = file.toAbsolutePath().normalize();
    this.key = key;
  }

  /** A store at this path with this key; nothing is read until asked for. */
  public static SecretStore at(Path file, StoreKey key) {
    return new SecretStore(file, key);
  }

  public Path file() {
    return file;
  }

  public boolean exists() {
    return Files.exists(file);
  }

  /** Whether a name is acceptable as a secret name. */
  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  static void requireName(String name) {
    if (!validName(name)) {
      throw new SecretStoreException("'" + name + "' is not a valid secret name (1-64 of A-Z a-z 0-9 _ . -, starting with a letter or digit)");
    }
  }

  /** Every secret; empty when the store file does not exist yet. */
  public SortedMap<String, Secret> readAll() {
    if (!exists()) {
      return Collections.emptySortedMap();
    }
    return Collections.unmodifiableSortedMap(decode(read()));
  }

  /** The names of the secrets, sorted. */
  public SortedSet<String> names() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(readAll().keySet()));
  }

  public Optional<Secret> get(String name) {
    return Optional.ofNullable(readAll().get(name));
  }

  /** Adds or replaces a secret. */
  public void put(String name, Secret value) {
    requireName(name);
    if (value.length() > MAX_VALUE_BYTES) {
      throw new SecretStoreException("secret '" + name + "' is " + value.length() + " bytes; at most " + MAX_VALUE_BYTES);
    }
    mutate(all -> {
      all.put(name, value);
      if (all.size() > MAX_SECRETS) {
        throw new SecretStoreException("the store holds at most " + MAX_SECRETS + " secrets");
      }
      return true;
    }, key);
  }

  /** Removes a secret; false when there was none of that name. */
  public boolean remove(String name) {
    requireName(name);
    return mutate(all -> all.remove(name) != null, key);
  }

  /**
   * Re-encrypts every secret with a new key and returns the store opened with it; the old key no
   * longer opens the file afterwards.
   */
  public SecretStore rotate(StoreKey newKey) {
    if (newKey.sameAs(key)) {
      throw new SecretStoreException("the new key is the same as the current key");
    }
    if (!exists()) {
      throw new SecretStoreException("secret store " + file + " does not exist; nothing to rotate");
    }
    mutate(all -> true, newKey);
    return new SecretStore(file, newKey);
  }

  @FunctionalInterface
  private interface Change {
    /** Changes the map in place; true when it should be written. */
    boolean apply(SortedMap<String, Secret> all);
  }

  private synchronized boolean mutate(Change change, StoreKey writeKey) {
    try {
      FilePermissions.createPrivateDirectories(file.getParent());
      Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
      try (FileChannel lockChannel = FileChannel.open(lockFile, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
          FilePermissions.ownerOnlyFile())) {
        FileLock lock = lockChannel.lock();
        try {
          SortedMap<String, Secret> all = exists() ? decode(read()) : new TreeMap<>();
          if (!change.apply(all)) {
            return false;
          }
          writeAtomically(encode(all, writeKey));
          return true;
        } finally {
          lock.release();
        }
      }
    } catch (IOException e) {
      throw new SecretStoreException("cannot update secret store " + file + ": " + e.getMessage(), e);
    }
  }

  private byte[] read() {
    FilePermissions.requireOwnerOnly(file, "secret store");
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new SecretStoreException("secret store " + file + " is larger than " + MAX_FILE_BYTES + " bytes; not a store");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new SecretStoreException("secret store " + file + " does not exist", e);
    } catch (IOException e) {
      throw new SecretStoreException("cannot read secret store " + file + ": " + e.getMessage(), e);
    }
  }

  private void writeAtomically(byte[] bytes) throws IOException {
    Path dir = file.getParent();
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", FilePermissions.ownerOnlyFile());
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system cannot rename atomically in " + dir, e);
      }
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Makes the rename durable; not every platform can open a directory, which is then skipped. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Best effort: the data file itself is already synced.
    }
  }

  // ---- format ----

  private byte[] encode(SortedMap<String, Secret> all, StoreKey writeKey) {
    byte[] plain = null;
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(all.size());
      for (Map.Entry<String, Secret> e : all.entrySet()) {
        byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
        out.writeShort(name.length);
        out.write(name);
        byte[] value = e.getValue().utf8();
        out.writeInt(value.length);
        out.write(value);
        Arrays.fill(value, (byte) 0);
      }
      int pad = (PAD_TO - bytes.size() % PAD_TO) % PAD_TO;
      out.write(new byte[pad]);
      out.flush();
      plain = bytes.toByteArray();
      byte[] header = header(writeKey);
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, writeKey.aesKey(), new GCMParameterSpec(TAG_BITS, nonce));
      gcm.updateAAD(header);
      byte[] sealed = gcm.doFinal(plain);
      ByteBuffer file = ByteBuffer.allocate(header.length + nonce.length + sealed.length);
      file.put(header).put(nonce).put(sealed);
      return file.array();
    } catch (IOException | GeneralSecurityException e) {
      throw new SecretStoreException("cannot encrypt the secret store: " + e.getMessage(), e);
    } finally {
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  private static byte[] header(StoreKey k) {
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
    h.put(MAGIC).put((byte) FORMAT_VERSION).put(k.idBytes());
    return h.array();
  }

  private SortedMap<String, Secret> decode(byte[] data) {
    if (data.length < HEADER_BYTES + NONCE_BYTES + TAG_BITS / 8) {
      throw new SecretStoreException("secret store " + file + " is too short to be a store (" + data.length + " bytes)");
    }
    if (!Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new SecretStoreException(file + " is not an mcp-warden secret store (bad magic)");
    }
    int version = data[MAGIC.length] & 0xff;
    if (version != FORMAT_VERSION) {
      throw new SecretStoreException("secret store " + file + " has format version " + version + "; this build reads version " + FORMAT_VERSION);
    }
    byte[] storedId = Arrays.copyOfRange(data, MAGIC.length + 1, HEADER_BYTES);
    if (!Arrays.equals(storedId, key.idBytes())) {
      throw new SecretStoreException("wrong key for secret store " + file + ": it was encrypted with key id "
          + HexFormat.of().formatHex(storedId) + ", the key given has id " + key.id());
    }
    byte[] plain = null;
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.DECRYPT_MODE, key.aesKey(), new GCMParameterSpec(TAG_BITS, data, HEADER_BYTES, NONCE_BYTES));
      gcm.updateAAD(data, 0, HEADER_BYTES);
      plain = gcm.doFinal(data, HEADER_BYTES + NONCE_BYTES, data.length - HEADER_BYTES - NONCE_BYTES);
      return parse(plain);
    } catch (AEADBadTagException e) {
      throw new SecretStoreException("secret store " + file + " failed its integrity check (AES-GCM tag mismatch): "
          + "the file was modified or damaged, or the key is wrong", e);
    } catch (GeneralSecurityException e) {
      throw new SecretStoreException("cannot decrypt secret store " + file + ": " + e.getMessage(), e);
    } finally {
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  private SortedMap<String, Secret> parse(byte[] plain) {
    SortedMap<String, Secret> out = new TreeMap<>();
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain));
      int count = in.readInt();
      if (count < 0 || count > MAX_SECRETS) {
        throw new IOException("count " + count);
      }
      for (int i = 0; i < count; i++) {
        byte[] name = new byte[in.readUnsignedShort()];
        in.readFully(name);
        int len = in.readInt();
        if (len <= 0 || len > MAX_VALUE_BYTES) {
          throw new IOException("value length " + len);
        }
        byte[] value = new byte[len];
        in.readFully(value);
        out.put(new String(name, StandardCharsets.US_ASCII), Secret.ofUtf8(value));
        Arrays.fill(value, (byte) 0);
      }
      return out;
    } catch (IOException e) {
      // Authenticated but unparsable: written by something else with this key.
      throw new SecretStoreException("secret store " + file + " decrypted but its content is malformed (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public String toString() {
    return "SecretStore[" + file + ", key " + key.id() + "]";
  }
}
