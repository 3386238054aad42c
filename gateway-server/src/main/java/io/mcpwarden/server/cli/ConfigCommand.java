package io.mcpwarden.server.cli;

import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.server.config.ConfigError;
import io.mcpwarden.server.config.ConfigException;
import io.mcpwarden.server.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code mcp-warden config}: configuration tools.
 *
 * <p>{@code check} validates a file and lists every error with its YAML path, so CI can gate
 * configuration changes (exit code 2 on errors).
 */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Configuration tools.", subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code mcp-warden config check FILE}. */
  @Command(name = "check", mixinStandardHelpOptions = true, description = "Validate a configuration file; exit 2 and list every error if invalid.")
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "Configuration file to check.")
    Path file;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        GatewayConfig cfg = ConfigLoader.fromEnvironment().load(file);
        out.println(file + ": OK (" + cfg.servers().size() + " server(s), listening on "
            + cfg.listen().host() + ":" + cfg.listen().port() + cfg.listen().path() + ")");
        return 0;
      } catch (ConfigException e) {
        err.println(file + ": " + e.errors().size() + " error(s)");
        for (ConfigError ce : e.errors()) {
          err.println("  " + ce);
        }
        return 2;
      }
    }
  }
}
