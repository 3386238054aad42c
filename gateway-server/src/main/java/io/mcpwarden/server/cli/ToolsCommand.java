package io.mcpwarden.server.cli;

import io.mcpwarden.core.integrity.ItemKind;
import io.mcpwarden.core.integrity.PinApprovals;
import io.mcpwarden.core.integrity.PinKey;
import io.mcpwarden.core.integrity.PinRecord;
import io.mcpwarden.core.integrity.SqlToolPinStore;
import io.mcpwarden.core.integrity.ToolPinStore;
import io.mcpwarden.server.config.ConfigException;
import io.mcpwarden.server.config.ConfigLoader;
import io.mcpwarden.server.edge.ToolAdminHandler;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mcp-warden tools}: reviews pinned tool, prompt and resource-template definitions and
 * approves or rejects them, directly on the integrity store (the gateway need not run).
 *
 * <p>A running gateway picks up decisions made here within a second (it watches the store's
 * revision). Every decision records who made it: {@code --as WHO}, or the OS user.
 */
@Command(name = "tools", mixinStandardHelpOptions = true,
    description = {"Review and approve pinned tool definitions (tool integrity), offline on the integrity store.",
      "Exit codes: 0 done, 1 not found, 2 bad usage or configuration."},
    subcommands = {ToolsCommand.ListTools.class, ToolsCommand.Pending.class, ToolsCommand.Diff.class,
      ToolsCommand.Approve.class, ToolsCommand.Reject.class})
final class ToolsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the store is: {@code --store}, or {@code integrity.store} of the configuration. */
  static final class StoreOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The gateway's configuration (default: ${WARDEN_HOME}/examples/demo.yaml); its integrity.store is used.")
    Path config;

    @Option(names = "--store", paramLabel = "FILE", description = "The integrity store (SQLite file), instead of the configuration's.")
    Path store;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    Path storePath() {
      if (store != null) {
        return store;
      }
      return ConfigLoader.fromEnvironment().load(config != null ? config : ConfigFiles.defaultConfig()).integrity().store();
    }

    /** Runs {@code action} on the opened store, mapping failures to exit codes. */
    int with(CommandSpec spec, StoreAction action) {
      PrintWriter err = spec.commandLine().getErr();
      Path path;
      try {
        path = storePath();
      } catch (ConfigException e) {
        err.println(e.getMessage());
        return 2;
      }
      if (!Files.exists(path)) {
        err.println("tools: no integrity store at " + path + " (the gateway creates it when it first sees a server)");
        return 2;
      }
      try (ToolPinStore s = SqlToolPinStore.sqlite(path)) {
        int rc = action.run(new PinApprovals(s, Clock.systemUTC()), spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return rc;
      } catch (NoSuchElementException e) {
        err.println("tools: " + e.getMessage());
        return 1;
      } catch (IllegalArgumentException | IllegalStateException e) {
        err.println("tools: " + e.getMessage());
        return 2;
      }
    }
  }

  @FunctionalInterface
  interface StoreAction {
    int run(PinApprovals approvals, PrintWriter out);
  }

  /** Names one item: SERVER NAME [--kind K]. */
  static final class ItemOptions {
    @Parameters(index = "0", paramLabel = "SERVER", description = "The upstream server (as named in the configuration).")
    String server;

    @Parameters(index = "1", paramLabel = "NAME", description = "The tool's name on that server (without the gateway's prefix).")
    String name;

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "tool", description = "tool (default), prompt or resource-template.")
    String kind;

    PinKey key() {
      ItemKind k = ItemKind.parse(kind);
      if (k == null) {
        throw new IllegalArgumentException("--kind must be tool, prompt or resource-template");
      }
      return new PinKey(server, k, name);
    }
  }

  static void print(List<PinRecord> records, boolean json, PrintWriter out) {
    if (json) {
      var arr = tools.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
      records.forEach(r -> arr.add(ToolAdminHandler.json(r)));
      out.println(arr);
      return;
    }
    if (records.isEmpty()) {
      out.println("(none)");
      return;
    }
    out.printf("%-12s %-18s %-16s %-32s %-26s %s%n", "STATE", "SERVER", "KIND", "NAME", "DECIDED", "BY / REASON");
    for (PinRecord r : records) {
      out.printf("%-12s %-18s %-16s %-32s %-26s %s%s%n", r.state().label(), r.key().server(), r.key().kind().label(), r.key().name(),
          r.decidedAt(), r.decidedBy(), r.reason() == null ? "" : " / " + r.reason());
    }
  }

  /** {@code mcp-warden tools list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List every pinned definition and its state.")
  static final class ListTools implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(names = "--state", paramLabel = "STATE", description = "Only approved, pending, quarantined or rejected.")
    String state;

    @Override
    public Integer call() {
      io.mcpwarden.core.integrity.PinState s = state == null ? null : io.mcpwarden.core.integrity.PinState.parse(state);
      if (state != null && s == null) {
        spec.commandLine().getErr().println("tools: --state must be approved, pending, quarantined or rejected");
        return 2;
      }
      return store.with(spec, (a, out) -> {
        print(a.list(s), store.json, out);
        return 0;
      });
    }
  }

  /** {@code mcp-warden tools pending}. */
  @Command(name = "pending", mixinStandardHelpOptions = true, description = "List what waits for an admin: pending and quarantined definitions.")
  static final class Pending implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Override
    public Integer call() {
      return store.with(spec, (a, out) -> {
        print(a.waiting(), store.json, out);
        return 0;
      });
    }
  }

  /** {@code mcp-warden tools diff SERVER NAME}. */
  @Command(name = "diff", mixinStandardHelpOptions = true, description = "Show the approved definition against the current one (unified diff of text and schema).")
  static final class Diff implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;
    @Mixin ItemOptions item;

    @Override
    public Integer call() {
      return store.with(spec, (a, out) -> {
        out.print(a.diff(item.key()));
        out.flush();
        return 0;
      });
    }
  }

  /** Shared by approve and reject. */
  abstract static class Decide implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;
    @Mixin ItemOptions item;

    @Option(names = "--as", paramLabel = "WHO", description = "Who decides (recorded); default: the OS user.")
    String as;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (recorded).")
    String reason;

    abstract boolean approve();

    @Override
    public Integer call() {
      String who = "cli:" + (as != null && !as.isBlank() ? as.strip() : System.getProperty("user.name", "unknown"));
      return store.with(spec, (a, out) -> {
        PinRecord r = a.decide(item.key(), approve(), who, reason);
        if (store.json) {
          out.println(ToolAdminHandler.json(r));
        } else {
          out.println(r.key() + " " + r.state().label() + " by " + r.decidedBy() + " at " + r.decidedAt() + " (" + r.fingerprint() + ")");
        }
        return 0;
      });
    }
  }

  /** {@code mcp-warden tools approve SERVER NAME}. */
  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve the current definition: it becomes the pinned one and is listed and callable again.")
  static final class Approve extends Decide {
    @Override
    boolean approve() {
      return true;
    }
  }

  /** {@code mcp-warden tools reject SERVER NAME}. */
  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject the current definition: it stays hidden and refused until it changes.")
  static final class Reject extends Decide {
    @Override
    boolean approve() {
      return false;
    }
  }
}
