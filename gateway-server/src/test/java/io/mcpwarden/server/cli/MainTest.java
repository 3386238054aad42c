package io.mcpwarden.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
  @TempDir Path dir;

  private final PrintStream realOut = System.out;
  private final PrintStream realErr = System.err;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void capture() {
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(realOut);
    System.setErr(realErr);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path write(String name, String yaml) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void configCheckAcceptsADemoLikeFile() throws IOException {
    Path f = write("demo.yaml", """
        listen:
          host: 127.0.0.1
          port: 7700
          path: /mcp
        audit:
          path: ${warden.home}/data/audit.jsonl
        servers:
          demo:
            command: ["${java}", "-jar", "${warden.home}/demo-server/target/demo-server.jar"]
            request-timeout: 30s
        """);
    assertThat(Main.execute("config", "check", f.toString())).isZero();
    assertThat(out()).contains("OK (1 server(s), listening on 127.0.0.1:7700/mcp)");
    assertThat(err()).isEmpty();
  }

  @Test
  void configCheckAcceptsTheBundledDemo() {
    Path demo = Path.of("../examples/demo.yaml");
    if (Files.exists(demo)) {
      assertThat(Main.execute("config", "check", demo.toString())).as(err()).isZero();
    }
  }

  @Test
  void configCheckListsEveryErrorAndExitsTwo() throws IOException {
    Path f = write("bad.yaml", """
        listen:
          host: 0.0.0.0
          port: 70000
        sessions:
          idle-timeout: soon
        servers:
          demo:
            command: [x]
            headers: {A: b}
          web:
            url: ftp://nope
            comand: [y]
        """);
    assertThat(Main.execute("config", "check", f.toString())).isEqualTo(2);
    assertThat(err()).contains("7 error(s)")
        .contains("listen.port: must be between 0 and 65535")
        .contains("listen.tls: is required when listening on the non-loopback address 0.0.0.0")
        .contains("listen.allowed-hosts: must list the host names")
        .contains("sessions.idle-timeout: must be a duration")
        .contains("servers.demo.headers: only for HTTP servers")
        .contains("servers.web.url: must be an absolute http:// or https:// URL")
        .contains("servers.web.comand: unknown key");
    assertThat(out()).isEmpty();
  }

  @Test
  void configCheckOfAMissingFileExitsTwo() {
    assertThat(Main.execute("config", "check", dir.resolve("absent.yaml").toString())).isEqualTo(2);
    assertThat(err()).contains("cannot read file");
  }

  @Test
  void configCheckWithoutAFileIsAUsageError() {
    assertThat(Main.execute("config", "check")).isEqualTo(2);
    assertThat(err()).contains("Missing required parameter");
  }

  @Test
  void helpWorksForEveryCommand() {
    List<List<String>> paths = new ArrayList<>();
    collect(Main.commandLine(), new ArrayList<>(), paths);
    assertThat(paths).extracting(p -> String.join(" ", p)).contains("", "run", "config", "config check", "help");
    for (List<String> path : paths) {
      out.reset();
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      assertThat(Main.execute(args.toArray(String[]::new))).as("%s --help", path).isZero();
      assertThat(out()).as("%s --help", path).contains("Usage:");
    }
  }

  private static void collect(CommandLine cl, List<String> prefix, List<List<String>> into) {
    into.add(prefix);
    for (var e : cl.getSubcommands().entrySet()) {
      if (e.getValue().getCommandSpec().aliases().length > 0 && !e.getKey().equals(e.getValue().getCommandName())) {
        continue;
      }
      List<String> p = new ArrayList<>(prefix);
      p.add(e.getKey());
      collect(e.getValue(), p, into);
    }
  }

  @Test
  void helpCommandDescribesSubcommands() {
    assertThat(Main.execute("help", "config")).isZero();
    assertThat(out()).contains("check");
  }

  @Test
  void noArgumentsPrintsUsage() {
    assertThat(Main.execute()).isZero();
    assertThat(out()).contains("Usage: mcp-warden").contains("run").contains("config");
  }

  @Test
  void versionOption() {
    assertThat(Main.execute("--version")).isZero();
    assertThat(out()).contains("mcp-warden 0.1.0");
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(Main.execute("frobnicate")).isEqualTo(2);
  }

  @Test
  void runRefusesAnInvalidConfigWithExitTwo() throws IOException {
    Path f = write("bad.yaml", "servers: {}\n");
    assertThat(Main.execute("run", "--config", f.toString())).isEqualTo(2);
    assertThat(err()).contains("at least one server is required");
  }

  @Test
  void runRefusesAPortOutOfRange() throws IOException {
    Path f = write("ok.yaml", "servers:\n  s:\n    command: [x]\n");
    assertThat(Main.execute("run", "--config", f.toString(), "--port", "70000")).isEqualTo(2);
    assertThat(err()).contains("--port must be between 0 and 65535");
  }

  /** What picocli makes of {@code run args...}: the RunCommand it filled, or null when it refuses them. */
  private static RunCommand picocliRun(List<String> args) {
    List<String> all = new ArrayList<>(List.of("run"));
    all.addAll(args);
    try {
      CommandLine.ParseResult r = Main.commandLine().parseArgs(all.toArray(String[]::new));
      CommandLine.ParseResult sub = r.subcommand();
      if (sub == null || sub.isUsageHelpRequested() || sub.isVersionHelpRequested()) {
        return null;
      }
      return (RunCommand) sub.commandSpec().userObject();
    } catch (CommandLine.ParameterException e) {
      return null;
    }
  }

  @Test
  void plainRunOptionsAreReadWithoutPicocliExactlyAsPicocliReadsThem() {
    List<List<String>> accepted = List.of(
        List.of(), List.of("--config", "a.yaml"), List.of("-c", "a.yaml"), List.of("--config=a.yaml"),
        List.of("--port", "0"), List.of("-p", "7700"), List.of("--port=8080"),
        List.of("-c", "dir/x y.yaml", "-p", "65535"), List.of("--port", "1", "--config=b.yaml"),
        List.of("--port", "70000"), List.of("--config", "a=b.yaml"));
    for (List<String> args : accepted) {
      RunCommand plain = RunCommand.plain(args);
      RunCommand viaPicocli = picocliRun(args);
      assertThat(plain).as("read without picocli: %s", args).isNotNull();
      assertThat(viaPicocli).as("picocli accepts %s", args).isNotNull();
      assertThat(plain.config).as("config of %s", args).isEqualTo(viaPicocli.config);
      assertThat(plain.port).as("port of %s", args).isEqualTo(viaPicocli.port);
    }
    // Everything else is left to picocli (help, errors, unusual forms), whatever it makes of it.
    List<List<String>> deferred = List.of(
        List.of("--help"), List.of("-h"), List.of("-V"), List.of("--config"), List.of("--port", "x"),
        List.of("--port", "-1"), List.of("--port", "99999999999"), List.of("-c", "a.yaml", "-c", "b.yaml"),
        List.of("--config", "--port"), List.of("-ca.yaml"), List.of("-c=a.yaml"), List.of("--cfg", "a.yaml"),
        List.of("extra"), List.of("--config="), List.of("--port", "1", "--port", "2"));
    for (List<String> args : deferred) {
      assertThat(RunCommand.plain(args)).as("left to picocli: %s", args).isNull();
    }
  }

  @Test
  void runWithPlainOptionsReportsErrorsLikeThePicocliPath() throws IOException {
    Path f = write("bad.yaml", "servers: {}\n");
    assertThat(Main.execute("run", "-c", f.toString())).isEqualTo(2);
    assertThat(Main.execute("run", "--config=" + f, "--port", "x")).as("picocli's own refusal").isEqualTo(2);
    assertThat(err()).contains("at least one server is required").contains("'x' is not an int");
  }
}
