package io.mcpwarden.server.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mcp-warden} command line.
 *
 * <p>Subcommands are small classes of their own so each carries its own {@code --help}.
 *
 * <p>picocli builds its model of a command by reflection over every option of every subcommand,
 * and its classes (compiled for Java 5) stay out of the JDK's AOT cache, so that model is a
 * visible part of the gateway's start-up. When the first argument names a subcommand, only that
 * subcommand's model is built; the top-level help and {@code help} still see all of them.
 */
@Command(
    name = "mcp-warden",
    mixinStandardHelpOptions = true,
    version = "mcp-warden 0.1.0",
    description = "Security gateway for the Model Context Protocol.")
public final class Main implements Runnable {
  /** Every subcommand, in the order the help lists them ({@code help} is added last). */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          RunCommand.class,
          ConfigCommand.class,
          SecretsCommand.class,
          DevTokenCommand.class,
          SessionsCommand.class,
          PolicyCommand.class,
          DetectCommand.class,
          ToolsCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns the exit code (tests call this instead of main). */
  public static int execute(String... args) {
    if (args.length > 0 && args[0].equals("run")) {
      RunCommand run = RunCommand.plain(List.of(args).subList(1, args.length));
      if (run != null) {
        return runPlain(run);
      }
    }
    return commandLine(args.length > 0 ? args[0] : null).execute(args);
  }

  /**
   * {@code run} with plain options, without building picocli's model (see {@link
   * RunCommand#plain}); same output streams and exit codes as through picocli.
   */
  private static int runPlain(RunCommand run) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, System.out.charset()), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, System.err.charset()), true);
    try {
      return run.run(out, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The whole command line, every subcommand included (help, tests). */
  public static CommandLine commandLine() {
    return commandLine(null);
  }

  /**
   * The command line for arguments starting with {@code first}: only that subcommand when it
   * names one, else all of them (so an unknown name still gets picocli's error and suggestions).
   */
  static CommandLine commandLine(String first) {
    CommandLine cli = new CommandLine(new Main());
    Class<?> only = null;
    for (Class<?> c : SUBCOMMANDS) {
      if (c.getAnnotation(Command.class).name().equals(first)) {
        only = c;
      }
    }
    for (Class<?> c : SUBCOMMANDS) {
      if (only == null || c == only) {
        cli.addSubcommand(c);
      }
    }
    if (only == null) {
      cli.addSubcommand(CommandLine.HelpCommand.class);
    }
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
