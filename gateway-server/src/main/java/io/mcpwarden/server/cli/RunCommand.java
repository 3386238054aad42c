package io.mcpwarden.server.cli;

import io.mcpwarden.core.backend.Backend;
import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.server.Gateway;
import io.mcpwarden.server.config.ConfigException;
import io.mcpwarden.server.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
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
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
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
