package io.mcpwarden.server.cli;

import io.mcpwarden.core.config.SecretsConfig;
import io.mcpwarden.core.secret.KeySource;
import io.mcpwarden.core.secret.Secret;
import io.mcpwarden.core.secret.SecretStore;
import io.mcpwarden.core.secret.SecretStoreException;
import io.mcpwarden.core.secret.StoreKey;
import io.mcpwarden.server.config.ConfigException;
import io.mcpwarden.server.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mcp-warden secrets}: manages the encrypted secret store that upstream credentials and
 * stdio server environments refer to as {@code ${secret:NAME}}.
 *
 * <p>Values go in through standard input only, never as arguments, so they stay out of shell
 * history and the process list; nothing here ever prints a value.
 */
@Command(
    name = "secrets",
    mixinStandardHelpOptions = true,
    description = {
      "Manage the encrypted secret store (AES-256-GCM).",
      "Configuration refers to a secret as $${secret:NAME}.",
      "The key comes from --key-file, else from $" + SecretsConfig.DEFAULT_KEY_ENV + " (base64), else ${WARDEN_HOME}/data/secrets.key."
    },
    subcommands = {SecretsCommand.Set.class, SecretsCommand.ListNames.class, SecretsCommand.Remove.class, SecretsCommand.RotateKey.class})
final class SecretsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options shared by every subcommand: where the store and its key are. */
  static final class StoreOptions {
    @Option(names = "--store", paramLabel = "FILE", description = "Secret store file (default: ${WARDEN_HOME}/data/secrets.enc).")
    Path store;

    @Option(names = "--key-file", paramLabel = "FILE",
        description = "Key file, 32 random bytes, mode 0600 (default: $" + SecretsConfig.DEFAULT_KEY_ENV + " if set, else ${WARDEN_HOME}/data/secrets.key).")
    Path keyFile;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
        description = "Take the store, key file and key variable from this gateway configuration's secrets section.")
    Path config;

    private SecretsConfig defaults;

    SecretsConfig defaults() {
      if (defaults == null) {
        SecretsConfig fromFile = config == null ? null : ConfigLoader.fromEnvironment().load(config).secrets();
        defaults = fromFile != null ? fromFile : SecretsConfig.defaults(ConfigFiles.home());
      }
      return defaults;
    }

    Path storeFile() {
      return store != null ? store : defaults().store();
    }

    KeySource keySource() {
      SecretsConfig d = defaults();
      return KeySource.choose(keyFile, d.keyEnv(), System.getenv(), d.keyFile());
    }

    SecretStore open() {
      return SecretStore.at(storeFile(), keySource().load());
    }
  }

  /** Runs a subcommand body, turning store errors into a message and exit code 1. */
  static int guarded(CommandSpec spec, Callable<Integer> body) {
    try {
      return body.call();
    } catch (SecretStoreException e) {
      spec.commandLine().getErr().println("mcp-warden secrets: " + e.getMessage());
      return 1;
    } catch (ConfigException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return 2;
    } catch (Exception e) {
      spec.commandLine().getErr().println("mcp-warden secrets: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      return 1;
    }
  }

  /** {@code secrets set NAME}: value from standard input. */
  @Command(name = "set", mixinStandardHelpOptions = true,
      description = {"Store a secret; the value is read from standard input (one trailing newline is dropped),",
          "or prompted for without echo on a terminal. Never pass a value as an argument."})
  static final class Set implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions options;

    @Parameters(paramLabel = "NAME", description = "Secret name: 1-64 of A-Z a-z 0-9 _ . -")
    String name;

    @Override
    public Integer call() {
      return guarded(spec, () -> {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!SecretStore.validName(name)) {
          err.println("mcp-warden secrets: '" + name + "' is not a valid secret name (1-64 of A-Z a-z 0-9 _ . -, starting with a letter or digit)");
          return 2;
        }
        Path storeFile = options.storeFile();
        KeySource source = options.keySource();
        StoreKey key;
        if (source instanceof KeySource.KeyFile(Path keyFile) && !Files.exists(keyFile)) {
          if (Files.exists(storeFile)) {
            throw new SecretStoreException("key file " + keyFile + " does not exist but the store " + storeFile
                + " does; give the key that encrypted it with --key-file or $" + SecretsConfig.DEFAULT_KEY_ENV);
          }
          key = StoreKey.generate();
          key.writeNewFile(keyFile);
          err.println("Created key file " + keyFile + " (mode 0600). Back it up: without it the secrets cannot be read.");
        } else {
          key = source.load();
        }
        Secret value = readValue(err);
        if (value == null) {
          return 1;
        }
        SecretStore.at(storeFile, key).put(name, value);
        out.println("Stored secret '" + name + "' in " + storeFile + " (key id " + key.id() + ").");
        return 0;
      });
    }

    private Secret readValue(PrintWriter err) throws IOException {
      Console console = System.console();
      if (console != null && console.isTerminal()) {
        char[] first = console.readPassword("Value for '%s': ", name);
        char[] again = console.readPassword("Again: ");
        try {
          if (first == null || again == null || !Arrays.equals(first, again)) {
            err.println("mcp-warden secrets: the two values differ; nothing stored");
            return null;
          }
          if (first.length == 0) {
            err.println("mcp-warden secrets: empty value; nothing stored");
            return null;
          }
          return Secret.of(new String(first));
        } finally {
          if (first != null) {
            Arrays.fill(first, '\0');
          }
          if (again != null) {
            Arrays.fill(again, '\0');
          }
        }
      }
      byte[] raw = readBounded(System.in, SecretStore.MAX_VALUE_BYTES + 2);
      try {
        if (raw == null) {
          err.println("mcp-warden secrets: value on standard input is larger than " + SecretStore.MAX_VALUE_BYTES + " bytes; nothing stored");
          return null;
        }
        int len = raw.length;
        if (len > 0 && raw[len - 1] == '\n') {
          len--;
          if (len > 0 && raw[len - 1] == '\r') {
            len--;
          }
        }
        if (len == 0) {
          err.println("mcp-warden secrets: no value on standard input; pipe it in, e.g. printf %s \"$TOKEN\" | mcp-warden secrets set " + name);
          return null;
        }
        try {
          String text = StandardCharsets.UTF_8.newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(raw, 0, len))
              .toString();
          return Secret.of(text);
        } catch (CharacterCodingException e) {
          err.println("mcp-warden secrets: the value is not valid UTF-8; nothing stored");
          return null;
        }
      } finally {
        if (raw != null) {
          Arrays.fill(raw, (byte) 0);
        }
      }
    }

    /** All of the stream, or null when it holds more than {@code max} bytes. */
    private static byte[] readBounded(InputStream in, int max) throws IOException {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      int n;
      while ((n = in.read(chunk)) >= 0) {
        buf.write(chunk, 0, n);
        if (buf.size() > max) {
          return null;
        }
      }
      return buf.toByteArray();
    }
  }

  /** {@code secrets list}: names only. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List secret names, one per line (never values).")
  static final class ListNames implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions options;

    @Override
    public Integer call() {
      return guarded(spec, () -> {
        Path storeFile = options.storeFile();
        if (!Files.exists(storeFile)) {
          spec.commandLine().getErr().println("No secret store at " + storeFile + " yet; add a secret with: mcp-warden secrets set NAME");
          return 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        options.open().names().forEach(out::println);
        return 0;
      });
    }
  }

  /** {@code secrets rm NAME}. */
  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a secret.")
  static final class Remove implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions options;

    @Parameters(paramLabel = "NAME", description = "Secret name.")
    String name;

    @Override
    public Integer call() {
      return guarded(spec, () -> {
        if (!Files.exists(options.storeFile()) || !options.open().remove(name)) {
          spec.commandLine().getErr().println("mcp-warden secrets: no secret named '" + name + "'");
          return 1;
        }
        spec.commandLine().getOut().println("Removed secret '" + name + "'.");
        return 0;
      });
    }
  }

  /** {@code secrets rotate-key --new-key-file F}. */
  @Command(name = "rotate-key", mixinStandardHelpOptions = true,
      description = {"Re-encrypt the store with a new key. The new key file is created (mode 0600) if it does not exist.",
          "Afterwards only the new key opens the store: point the gateway at it."})
  static final class RotateKey implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions options;

    @Option(names = "--new-key-file", required = true, paramLabel = "FILE", description = "Key file for the new key.")
    Path newKeyFile;

    @Override
    public Integer call() {
      return guarded(spec, () -> {
        PrintWriter out = spec.commandLine().getOut();
        KeySource oldSource = options.keySource();
        SecretStore store = options.open();
        boolean created = !Files.exists(newKeyFile);
        StoreKey newKey;
        if (created) {
          newKey = StoreKey.generate();
          newKey.writeNewFile(newKeyFile);
        } else {
          newKey = StoreKey.fromFile(newKeyFile);
        }
        int count = store.names().size();
        SecretStore rotated = store.rotate(newKey);
        out.println("Re-encrypted " + count + " secret(s) in " + rotated.file() + " with key id " + newKey.id()
            + (created ? " (new key file " + newKeyFile + ")" : " from " + newKeyFile) + ".");
        out.println("The old key (" + oldSource.describe() + ") no longer opens the store. Point the gateway at "
            + newKeyFile + " (secrets.key-file), then delete the old key.");
        return 0;
      });
    }
  }
}
