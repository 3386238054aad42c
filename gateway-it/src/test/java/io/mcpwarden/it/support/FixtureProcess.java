package io.mcpwarden.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.mcpwarden.it.fixture.ConformanceServer;

/**
 * A fixture MCP server running as a child JVM, started from the test classpath.
 *
 * <p>Tests run fixtures out of process so the gateway talks to them exactly as it talks to
 * real upstreams (a spawned stdio command, or an HTTP port), and so a fixture crash or
 * hang cannot take the test JVM with it. Close it (try-with-resources) to kill the child.
 */
public final class FixtureProcess implements AutoCloseable {

    /** Main class of the conformance fixture. */
    public static final String CONFORMANCE_MAIN = ConformanceServer.class.getName();

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;

    private final int port;

    private final Path stderrLog;

    private FixtureProcess(Process process, int port, Path stderrLog) {
        this.process = process;
        this.port = port;
        this.stderrLog = stderrLog;
    }

    /**
     * Command line that runs the conformance fixture over stdio: java, this JVM's test
     * classpath, the main class and {@code stdio}. Suitable for a gateway stdio backend
     * config, which spawns the command and speaks JSON-RPC on its stdin/stdout.
     *
     * @return the command, program first
     */
    public static List<String> conformanceStdioCommand() {
        return javaCommand(CONFORMANCE_MAIN, "stdio");
    }

    /**
     * Command line running {@code mainClass} in a fresh JVM with this JVM's classpath.
     *
     * <p>The classpath is {@code java.class.path} of the running (Surefire/Failsafe) JVM,
     * which holds the test classes and every test dependency.
     *
     * @param mainClass fully qualified main class
     * @param args      program arguments
     * @return the command, program first
     */
    public static List<String> javaCommand(String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        // Fixtures are short-lived and small: C1 only and a small heap start faster and
        // keep several of them cheap when tests run side by side.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xmx256m");
        // JVM unified logging writes warnings to stdout by default, which in stdio mode is
        // the JSON-RPC channel: send them to stderr.
        command.add("-Xlog:disable");
        command.add("-Xlog:all=warning:stderr");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Starts the conformance fixture over Streamable HTTP on a free loopback port and
     * waits until it listens. Its stderr goes to {@code target/fixture-logs/}.
     *
     * @return the running fixture
     * @throws IOException if the JVM cannot be spawned or never reports its port
     */
    public static FixtureProcess startConformanceHttp() throws IOException {
        return startHttp(CONFORMANCE_MAIN, Path.of("target", "fixture-logs"));
    }

    /**
     * Starts {@code mainClass} with arguments {@code http 0} and reads the port from the
     * {@code LISTENING <port>} line it prints on stdout once ready.
     *
     * @param mainClass fully qualified main class following that convention
     * @param logDir    directory for the child's stderr log (created if missing)
     * @return the running fixture
     * @throws IOException if the JVM cannot be spawned or never reports its port
     */
    public static FixtureProcess startHttp(String mainClass, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        String simpleName = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        Path log = Files.createTempFile(logDir, simpleName + "-http-", ".log");
        Process process = new ProcessBuilder(javaCommand(mainClass, "http", "0"))
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
        try {
            int port = awaitPort(process, log);
            return new FixtureProcess(process, port, log);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** @return the loopback port the fixture listens on */
    public int port() {
        return port;
    }

    /** @return the Streamable HTTP endpoint, {@code http://127.0.0.1:<port>/mcp} */
    public URI mcpUri() {
        return URI.create("http://127.0.0.1:" + port + ConformanceServer.MCP_PATH);
    }

    /** @return the child process, e.g. to check it is still alive */
    public Process process() {
        return process;
    }

    /** @return the file the child's stderr is appended to */
    public Path stderrLog() {
        return stderrLog;
    }

    /** Kills the child: politely first (runs its shutdown hook), forcibly after 5 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int awaitPort(Process process, Path log) throws IOException {
        InputStream stdout = process.getInputStream();
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> readPort(stdout));
        try {
            return port.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException("fixture did not report its port within " + START_TIMEOUT + "; see " + log, e);
        } catch (ExecutionException e) {
            throw new IOException("fixture failed to start (exit " + exitCode(process) + "); see " + log, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the fixture", e);
        }
    }

    private static int readPort(InputStream stdout) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(ConformanceServer.LISTENING_PREFIX)) {
                    int port = Integer.parseInt(line.substring(ConformanceServer.LISTENING_PREFIX.length()).strip());
                    drain(reader);
                    return port;
                }
            }
            throw new IllegalStateException("fixture closed stdout without reporting a port");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps reading stdout so a chatty child can never block on a full pipe. */
    private static void drain(BufferedReader reader) {
        Thread.ofVirtual().name("fixture-stdout-drain").start(() -> {
            try {
                while (reader.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // Child exited.
            }
        });
    }

    private static String exitCode(Process process) {
        return process.isAlive() ? "still running" : String.valueOf(process.exitValue());
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
            .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
