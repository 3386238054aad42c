package io.mcpwarden.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mcp-warden} command line.
 *
 * <p>Subcommands are small classes of their own so each carries its own {@code --help}.
 */
@Command(
    name = "mcp-warden",
    mixinStandardHelpOptions = true,
    version = "mcp-warden 0.1.0",
    description = "Security gateway for the Model Context Protocol.",
    subcommands = {RunCommand.class, ConfigCommand.class, SecretsCommand.class, DevTokenCommand.class, SessionsCommand.class, PolicyCommand.class, DetectCommand.class, ToolsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns the exit code (tests call this instead of main). */
  public static int execute(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
