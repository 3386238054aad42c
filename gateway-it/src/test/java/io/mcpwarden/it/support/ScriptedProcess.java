package io.mcpwarden.it.support;

import io.mcpwarden.it.fixture.ScriptedServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Launches {@link ScriptedServer} as a child JVM: either as a command line for a gateway stdio
 * server entry, or as a running Streamable HTTP server whose port is read from its {@code
 * LISTENING} line.
 *
 * <p>The child uses this JVM's java binary and the fixture classes just compiled, with a
 * class-data-sharing archive ({@link FixtureClasspath}) because the suites start many of them.
 * Unlike {@link FixtureProcess}, which starts a main class with a fixed argument convention, this
 * passes the scripted behaviour (name, tools, banner, ...) as arguments.
 */
public final class ScriptedProcess implements AutoCloseable {
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private final Process process;
  private final int port;

  private ScriptedProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The child's command line: java, fast-start flags, classpath, main class, then {@code args}. */
  public static List<String> command(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(JAVA);
    cmd.addAll(FixtureClasspath.INSTANCE.jvmOptions());
    cmd.add(ScriptedServer.class.getName());
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** The command line of another fixture main class (same JVM options and class-data sharing). */
  public static List<String> command(Class<?> mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(JAVA);
    cmd.addAll(FixtureClasspath.INSTANCE.jvmOptions());
    cmd.add(mainClass.getName());
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** {@link #command} as a YAML flow sequence, for a gateway server's {@code command:} key. */
  public static String yamlCommand(String... args) {
    return yaml(command(args));
  }

  /** A YAML command line running another fixture main class with the same fast-start classpath. */
  public static String yamlCommandFor(Class<?> mainClass, String... args) {
    return yaml(command(mainClass, args));
  }

  private static String yaml(List<String> command) {
    StringBuilder sb = new StringBuilder("[");
    for (String part : command) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append('"').append(part.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return sb.append(']').toString();
  }

  /** A YAML servers-block entry for a stdio fixture; {@code extra} lines are indented for you. */
  public static String stdioServer(String name, String args, String... extra) {
    StringBuilder sb = new StringBuilder("  ").append(name).append(":\n    command: ")
        .append(yamlCommand(("--name " + name + " " + args).trim().split("\\s+"))).append('\n');
    for (String line : extra) {
      sb.append("    ").append(line).append('\n');
    }
    return sb.toString();
  }

  /** Starts the fixture in HTTP mode on a free port and waits for it to listen. */
  public static ScriptedProcess startHttp(String... args) {
    List<String> cmd = new ArrayList<>(command(args));
    cmd.add("--http");
    cmd.add("0");
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      CompletableFuture<Integer> port = new CompletableFuture<>();
      Thread.ofVirtual().name("scripted-stdout").start(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            if (line.startsWith(ScriptedServer.LISTENING_PREFIX)) {
              port.complete(Integer.parseInt(line.substring(ScriptedServer.LISTENING_PREFIX.length()).trim()));
            }
          }
        } catch (IOException | RuntimeException e) {
          port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException("fixture exited before listening"));
      });
      try {
        return new ScriptedProcess(p, port.get(30, TimeUnit.SECONDS));
      } catch (ExecutionException | TimeoutException e) {
        p.destroyForcibly();
        throw new IllegalStateException("HTTP fixture did not start: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        throw new IllegalStateException(e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** The fixture's MCP endpoint. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port + ScriptedServer.MCP_PATH);
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
