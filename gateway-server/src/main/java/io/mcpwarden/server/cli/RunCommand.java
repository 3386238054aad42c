package io.mcpwarden.server.cli;

import io.mcpwarden.core.backend.Backend;
import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.server.Gateway;
import io.mcpwarden.server.config.ConfigException;
import io.mcpwarden.server.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code mcp-warden run}: starts the gateway and serves until interrupted.
 *
 * <p>Without options it runs the bundled demo, so a first try needs no configuration.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the gateway (default: examples/demo.yaml).")
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Configuration file (default: ${WARDEN_HOME}/examples/demo.yaml).")
  Path config;

  @Option(names = {"-p", "--port"}, paramLabel = "N", description = "Listen on this port instead of the configured one (0: any free port).")
  Integer port;

  @Override
  public Integer call() throws InterruptedException {
    return run(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /**
   * The options of {@code args} (everything after {@code run}) when they are only {@code
   * -c/--config FILE} and {@code -p/--port N}, each at most once, in the separate or {@code =}
   * form; null for anything else (help, a value that looks like an option, a port that is not a
   * number, a repeated or unknown option), which then goes through picocli with its checks and
   * messages. Parsing the plain forms here spares picocli's model, whose classes (compiled for
   * Java 5) the JDK cannot keep in its AOT cache: about a quarter of the gateway's start-up.
   * {@code MainTest} checks that picocli reads every accepted form the same way.
   */
  static RunCommand plain(List<String> args) {
    RunCommand run = new RunCommand();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      int eq = a.indexOf('=');
      String name = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
      String value;
      if (name.length() < a.length()) {
        value = a.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        return null;
      }
      if (value.isEmpty() || value.startsWith("-")) {
        return null;
      }
      switch (name) {
        case "-c", "--config" -> {
          if (run.config != null) {
            return null;
          }
          try {
            run.config = Path.of(value);
          } catch (InvalidPathException e) {
            return null;
          }
        }
        case "-p", "--port" -> {
          if (run.port != null || !value.chars().allMatch(Character::isDigit) || value.length() > 9) {
            return null;
          }
          run.port = Integer.valueOf(value);
        }
        default -> {
          return null;
        }
      }
    }
    return run;
  }

  /** Runs the gateway, writing its messages to {@code out} and errors to {@code err}. */
  int run(PrintWriter out, PrintWriter err) throws InterruptedException {
    Path file = config != null ? config : ConfigFiles.defaultConfig();
    GatewayConfig cfg;
    try {
      cfg = ConfigLoader.fromEnvironment().load(file);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 2;
    }
    if (port != null) {
      if (port < 0 || port > 65535) {
        err.println("--port must be between 0 and 65535");
        return 2;
      }
      cfg = cfg.withPort(port);
    }
    Gateway gateway;
    try {
      gateway = Gateway.start(cfg);
    } catch (RuntimeException e) {
      err.println("mcp-warden: " + e.getMessage());
      return 1;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      stop.countDown();
    }, "shutdown"));
    out.println("MCP Warden listening on " + gateway.url() + " (config " + file + ")");
    for (Backend b : gateway.backends()) {
      ServerConfig sc = b.config();
      String how = sc.transport() == ServerConfig.Transport.STDIO ? "stdio: " + String.join(" ", sc.stdio().command()) : "http: " + sc.http().url();
      out.println("  server " + sc.name() + " (" + how + ")" + (sc.prefix() ? ", tools as " + sc.name() + cfg.toolSeparator() + "<tool>" : ", tools unprefixed"));
    }
    out.flush();
    stop.await();
    return 0;
  }
}
