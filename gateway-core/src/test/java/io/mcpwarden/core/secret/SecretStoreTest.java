package io.mcpwarden.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoreTest {
  @TempDir Path dir;

  private SecretStore store(StoreKey key) {
    return SecretStore.at(dir.resolve("data/secrets.enc"), key);
  }

  @Test
  void roundTripsSecretsThroughTheEncryptedFile() {
    StoreKey key = StoreKey.generate();
    SecretStore s = store(key);
    assertThat(s.exists()).isFalse();
    assertThat(s.names()).isEmpty();
    s.put("github-token", Secret.of("ghp_abc123"));
    s.put("unicode", Secret.of("pä$$wörd ✓"));
    s.put("github-token", Secret.of("ghp_replaced"));

    SecretStore reopened = store(key);
    assertThat(reopened.names()).containsExactly("github-token", "unicode");
    assertThat(reopened.get("github-token").orElseThrow().reveal()).isEqualTo("ghp_replaced");
    assertThat(reopened.get("unicode").orElseThrow().reveal()).isEqualTo("pä$$wörd ✓");
    assertThat(reopened.remove("unicode")).isTrue();
    assertThat(reopened.remove("unicode")).isFalse();
    assertThat(store(key).names()).containsExactly("github-token");
  }

  @Test
  void theFileHoldsNoPlaintextAndEveryWriteUsesAFreshNonce() throws IOException {
    StoreKey key = StoreKey.generate();
    SecretStore s = store(key);
    s.put("api", Secret.of("very-recognisable-value"));
    byte[] first = Files.readAllBytes(s.file());
    assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain("very-recognisable-value").doesNotContain("api");
    assertThat(new String(first, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("MCPWSECR");
    assertThat(first[8]).isEqualTo((byte) SecretStore.FORMAT_VERSION);

    s.put("api", Secret.of("very-recognisable-value"));
    byte[] second = Files.readAllBytes(s.file());
    byte[] nonce1 = java.util.Arrays.copyOfRange(first, SecretStore.HEADER_BYTES, SecretStore.HEADER_BYTES + 12);
    byte[] nonce2 = java.util.Arrays.copyOfRange(second, SecretStore.HEADER_BYTES, SecretStore.HEADER_BYTES + 12);
    assertThat(nonce2).isNotEqualTo(nonce1);
    // Padding: a short and a longer value give the same file size.
    s.put("api", Secret.of("x".repeat(40)));
    assertThat(Files.size(s.file())).isEqualTo(first.length);
  }

  @Test
  void aWrongKeyFailsClearlyNamingBothKeyIds() {
    StoreKey key = StoreKey.generate();
    store(key).put("a", Secret.of("1"));
    StoreKey other = StoreKey.generate();
    assertThatThrownBy(() -> store(other).names())
        .isInstanceOf(SecretStoreException.class)
        .hasMessageContaining("wrong key")
        .hasMessageContaining(key.id())
        .hasMessageContaining(other.id());
  }

  @Test
  void aTamperedCiphertextFailsTheGcmTag() throws IOException {
    StoreKey key = StoreKey.generate();
    SecretStore s = store(key);
    s.put("a", Secret.of("1"));
    byte[] bytes = Files.readAllBytes(s.file());
    bytes[bytes.length - 20] ^= 0x01;
    Files.write(s.file(), bytes);
    assertThatThrownBy(s::names).isInstanceOf(SecretStoreException.class).hasMessageContaining("integrity check");
  }

  @Test
  void aTamperedHeaderIsDetected() throws IOException {
    StoreKey key = StoreKey.generate();
    SecretStore s = store(key);
    s.put("a", Secret.of("1"));
    byte[] bytes = Files.readAllBytes(s.file());

    byte[] version = bytes.clone();
    version[8] = 2;
    Files.write(s.file(), version);
    assertThatThrownBy(s::names).hasMessageContaining("format version 2");

    byte[] nonce = bytes.clone();
    nonce[SecretStore.HEADER_BYTES] ^= 0x01;
    Files.write(s.file(), nonce);
    assertThatThrownBy(s::names).hasMessageContaining("integrity check");

    Files.write(s.file(), "not a store at all, just text that is long enough".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(s::names).hasMessageContaining("not an mcp-warden secret store");

    Files.write(s.file(), new byte[3]);
    assertThatThrownBy(s::names).hasMessageContaining("too short");
  }

  @Test
  void rotationReencryptsWithTheNewKeyAndRetiresTheOld() throws IOException {
    StoreKey oldKey = StoreKey.generate();
    SecretStore s = store(oldKey);
    s.put("a", Secret.of("alpha"));
    s.put("b", Secret.of("beta"));
    byte[] before = Files.readAllBytes(s.file());

    StoreKey newKey = StoreKey.generate();
    SecretStore rotated = s.rotate(newKey);

    assertThat(Files.readAllBytes(s.file())).isNotEqualTo(before);
    assertThat(rotated.get("a").orElseThrow().reveal()).isEqualTo("alpha");
    assertThat(store(newKey).get("b").orElseThrow().reveal()).isEqualTo("beta");
    assertThatThrownBy(() -> store(oldKey).names()).hasMessageContaining("wrong key");
    assertThatThrownBy(() -> rotated.rotate(newKey)).hasMessageContaining("same as the current key");
  }

  @Test
  void keyFilesAreCreatedOwnerOnlyAndLooseOnesAreRefused() throws IOException {
    Path keyFile = dir.resolve("keys/store.key");
    StoreKey key = StoreKey.generate();
    key.writeNewFile(keyFile);
    assertThat(Files.size(keyFile)).isEqualTo(32);
    if (FilePermissions.posix()) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    }
    assertThat(StoreKey.fromFile(keyFile).id()).isEqualTo(key.id());
    assertThatThrownBy(() -> StoreKey.generate().writeNewFile(keyFile)).hasMessageContaining("refusing to overwrite");

    if (FilePermissions.posix()) {
      Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
      assertThatThrownBy(() -> StoreKey.fromFile(keyFile)).hasMessageContaining("accessible by other users").hasMessageContaining("chmod 600");
    }
  }

  @Test
  void theStoreFileIsOwnerOnlyAndWritesLeaveNoTemporaryFiles() throws IOException {
    SecretStore s = store(StoreKey.generate());
    s.put("a", Secret.of("1"));
    s.put("b", Secret.of("2"));
    if (FilePermissions.posix()) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.file()))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.file().getParent()))).isEqualTo("rwx------");
    }
    try (var files = Files.list(s.file().getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("secrets.enc", "secrets.enc.lock");
    }
  }

  @Test
  void keysFromBase64AreCheckedForLength() {
    StoreKey key = StoreKey.generate();
    assertThat(StoreKey.fromBase64("X", key.toBase64()).id()).isEqualTo(key.id());
    assertThatThrownBy(() -> StoreKey.fromBase64("environment variable K", "c2hvcnQ=")).hasMessageContaining("environment variable K must decode to 32 bytes");
    assertThatThrownBy(() -> StoreKey.fromBase64("environment variable K", "***")).hasMessageContaining("not valid base64");
    assertThat(KeySource.choose(null, "K", Map.of("K", key.toBase64()), dir.resolve("k")))
        .isInstanceOf(KeySource.EnvironmentVariable.class)
        .hasToString("EnvironmentVariable[K]");
    assertThat(KeySource.choose(dir.resolve("explicit"), "K", Map.of("K", key.toBase64()), dir.resolve("k")))
        .isEqualTo(new KeySource.KeyFile(dir.resolve("explicit")));
    assertThat(KeySource.choose(null, "K", Map.of(), dir.resolve("k"))).isEqualTo(new KeySource.KeyFile(dir.resolve("k")));
  }

  @Test
  void namesAreValidatedAndValuesBounded() {
    SecretStore s = store(StoreKey.generate());
    for (String bad : List.of("", "-lead", "has space", "a/b", "x".repeat(65), "${secret:x}")) {
      assertThatThrownBy(() -> s.put(bad, Secret.of("v"))).hasMessageContaining("not a valid secret name");
    }
    assertThatThrownBy(() -> s.put("big", Secret.of("x".repeat(SecretStore.MAX_VALUE_BYTES + 1)))).hasMessageContaining("at most");
  }

  @Test
  void secretsNeverPrintThemselves() {
    Secret s = Secret.of("hunter2");
    assertThat(s).hasToString("[redacted]");
    assertThat(String.valueOf(Map.of("k", s))).doesNotContain("hunter2");
    assertThat(s.matches("hunter2")).isTrue();
    assertThat(s.matches("hunter3")).isFalse();
    assertThat(s.matches(Secret.of("hunter2"))).isTrue();
    assertThat(StoreKey.generate().toString()).startsWith("StoreKey[id=");
  }

  @Test
  void resolverSnapshotsReferencedSecretsAndListsMissingOnes() {
    SecretStore s = store(StoreKey.generate());
    assertThatThrownBy(() -> SecretResolver.snapshot(s, List.of("a"))).hasMessageContaining("does not exist");
    s.put("a", Secret.of("1"));
    s.put("unused", Secret.of("2"));
    SecretResolver r = SecretResolver.snapshot(s, List.of("a"));
    assertThat(r.require("a").reveal()).isEqualTo("1");
    assertThatThrownBy(() -> r.require("unused")).hasMessageContaining("not in the secret store");
    assertThatThrownBy(() -> SecretResolver.snapshot(s, List.of("a", "zz", "yy"))).hasMessageContaining("[yy, zz]");
    assertThat(SecretReferences.expand("Bearer ${secret:a}!", r)).isEqualTo("Bearer 1!");
    assertThat(SecretReferences.names("${secret:a} and ${secret:b}")).containsExactly("a", "b");
    assertThat(SecretReferences.exactName(" ${secret:a} ")).contains("a");
    assertThat(SecretReferences.exactName("x${secret:a}")).isEmpty();
  }
}
