package io.mcpwarden.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.secret.SecretStore;
import io.mcpwarden.core.secret.StoreKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsCommandTest {
  @TempDir Path dir;

  private final PrintStream realOut = System.out;
  private final PrintStream realErr = System.err;
  private final InputStream realIn = System.in;
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;
  private Path store;
  private Path key;

  @BeforeEach
  void capture() {
    store = dir.resolve("data/secrets.enc");
    key = dir.resolve("data/secrets.key");
  }

  @AfterEach
  void restore() {
    System.setOut(realOut);
    System.setErr(realErr);
    System.setIn(realIn);
  }

  private int run(String stdin, String... args) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    return Main.execute(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private String[] with(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--store";
    all[args.length + 1] = store.toString();
    all[args.length + 2] = "--key-file";
    all[args.length + 3] = key.toString();
    return all;
  }

  @Test
  void setReadsTheValueFromStdinCreatesTheKeyAndNeverPrintsIt() throws Exception {
    assertThat(run("s3cr3t-value\n", with("secrets", "set", "github-token"))).isEqualTo(0);
    assertThat(out()).contains("Stored secret 'github-token'").doesNotContain("s3cr3t-value");
    assertThat(err()).contains("Created key file " + key).doesNotContain("s3cr3t-value");
    assertThat(Files.size(key)).isEqualTo(32);
    if (Files.getFileStore(key).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }
    // The trailing newline is dropped; a CRLF too.
    assertThat(SecretStore.at(store, StoreKey.fromFile(key)).get("github-token").orElseThrow().reveal()).isEqualTo("s3cr3t-value");
    assertThat(run("v2\r\n", with("secrets", "set", "github-token"))).isEqualTo(0);
    assertThat(err()).doesNotContain("Created key file");
    assertThat(SecretStore.at(store, StoreKey.fromFile(key)).get("github-token").orElseThrow().reveal()).isEqualTo("v2");
  }

  @Test
  void listPrintsNamesOnlyAndRmRemoves() {
    run("alpha-value", with("secrets", "set", "b"));
    run("beta-value", with("secrets", "set", "a"));
    assertThat(run("", with("secrets", "list"))).isEqualTo(0);
    assertThat(out().lines().toList()).containsExactly("a", "b");
    assertThat(out()).doesNotContain("alpha-value").doesNotContain("beta-value");

    assertThat(run("", with("secrets", "rm", "a"))).isEqualTo(0);
    assertThat(run("", with("secrets", "rm", "a"))).isEqualTo(1);
    assertThat(err()).contains("no secret named 'a'");
    run("", with("secrets", "list"));
    assertThat(out().lines().toList()).containsExactly("b");
  }

  @Test
  void rotateKeyReencryptsAndTheOldKeyStopsWorking() throws Exception {
    run("value-one", with("secrets", "set", "one"));
    Path newKey = dir.resolve("data/secrets-2.key");
    assertThat(run("", with("secrets", "rotate-key", "--new-key-file", newKey.toString()))).isEqualTo(0);
    assertThat(out()).contains("Re-encrypted 1 secret(s)").contains(newKey.toString());
    assertThat(run("", with("secrets", "list"))).isEqualTo(1);
    assertThat(err()).contains("wrong key");
    assertThat(run("", "secrets", "list", "--store", store.toString(), "--key-file", newKey.toString())).isEqualTo(0);
    assertThat(out().lines().toList()).containsExactly("one");
    assertThat(SecretStore.at(store, StoreKey.fromFile(newKey)).get("one").orElseThrow().reveal()).isEqualTo("value-one");
  }

  @Test
  void refusesEmptyValuesBadNamesAndAMissingKeyForAnExistingStore() throws Exception {
    assertThat(run("", with("secrets", "set", "x"))).isEqualTo(1);
    assertThat(err()).contains("no value on standard input");
    assertThat(run("v", with("secrets", "set", "bad name"))).isEqualTo(2);
    assertThat(err()).contains("not a valid secret name");
    assertThat(run("v", with("secrets", "set", "x"))).isEqualTo(0);
    Files.delete(key);
    assertThat(run("v", with("secrets", "set", "y"))).isEqualTo(1);
    assertThat(err()).contains("does not exist but the store");
    assertThat(Files.exists(key)).isFalse();
  }

  @Test
  void helpShowsTheReferenceSyntax() {
    assertThat(run("", "secrets", "--help")).isEqualTo(0);
    assertThat(out()).contains("${secret:NAME}").doesNotContain("as null");
  }

  @Test
  void aValueIsNeverAcceptedAsAnArgument() {
    assertThat(run("", with("secrets", "set", "x", "the-value"))).isEqualTo(2);
    assertThat(Files.exists(store)).isFalse();
  }

  @Test
  void theStoreLocationCanComeFromAGatewayConfiguration() throws Exception {
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, "secrets:\n  store: \"" + store + "\"\n  key-file: \"" + key + "\"\n"
        + "servers:\n  demo:\n    command: [node]\n    env: {T: '${secret:tok}'}\n");
    assertThat(run("from-config", "secrets", "set", "tok", "--config", config.toString())).isEqualTo(0);
    assertThat(SecretStore.at(store, StoreKey.fromFile(key)).get("tok").orElseThrow().reveal()).isEqualTo("from-config");
    assertThat(run("", "secrets", "list", "-c", config.toString())).isEqualTo(0);
    assertThat(out().lines().toList()).containsExactly("tok");
    Files.writeString(config, "servers: 3\n");
    assertThat(run("", "secrets", "list", "-c", config.toString())).isEqualTo(2);
    assertThat(err()).contains("Invalid configuration");
  }

  @Test
  void aTamperedStoreIsReportedNotCrashedOn() throws Exception {
    run("v", with("secrets", "set", "x"));
    byte[] bytes = Files.readAllBytes(store);
    bytes[bytes.length - 1] ^= 1;
    Files.write(store, bytes);
    assertThat(run("", with("secrets", "list"))).isEqualTo(1);
    assertThat(err()).contains("integrity check");
  }
}
