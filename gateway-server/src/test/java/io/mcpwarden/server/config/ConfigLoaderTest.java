package io.mcpwarden.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.HttpConfig;
import io.mcpwarden.core.config.LimitsConfig;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.config.StdioConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
  private static final Path HOME = Path.of("/opt/warden");
  private static final Path CONFIG_DIR = Path.of("/etc/warden");
  private static final String ONE_SERVER = "servers:\n  demo:\n    command: [\"node\", \"server.js\"]\n";

  private final ConfigLoader loader = new ConfigLoader(Map.of("API_KEY", "s3cr3t", "DOLLAR", "a$1\\b"), HOME);

  private GatewayConfig parse(String yaml) {
    return loader.parse(yaml, "test.yaml", CONFIG_DIR);
  }

  private List<ConfigError> errors(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).startsWith("Invalid configuration test.yaml:");
      return e.errors();
    }
    throw new AssertionError("expected the configuration to be refused:\n" + yaml);
  }

  private List<String> errorPaths(String yaml) {
    return errors(yaml).stream().map(ConfigError::path).toList();
  }

  private static String withServer(String serverBody) {
    return "servers:\n  s:\n" + serverBody.indent(4);
  }

  // ---- defaults

  @Test
  void defaultsAreSafe() {
    GatewayConfig c = parse(ONE_SERVER);
    assertThat(c.listen().host()).isEqualTo("127.0.0.1");
    assertThat(c.listen().port()).isEqualTo(7700);
    assertThat(c.listen().path()).isEqualTo("/mcp");
    assertThat(c.listen().allowedHosts()).isEmpty();
    assertThat(c.listen().allowedOrigins()).isEmpty();
    assertThat(c.limits()).isEqualTo(new LimitsConfig(4L * 1024 * 1024, 64, 16 * 1024, 4, 10_000, 256, 64));
    assertThat(c.sessions().idleTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.sessions().maxLifetime()).isEqualTo(Duration.ofHours(24));
    assertThat(c.audit().path()).isEqualTo("-");
    assertThat(c.audit().queueCapacity()).isEqualTo(10_000);
    assertThat(c.toolSeparator()).isEqualTo("_");
    assertThat(c.pageSize()).isEqualTo(100);
  }

  @Test
  void stdioServerDefaults() {
    ServerConfig s = parse(ONE_SERVER).servers().getFirst();
    assertThat(s.name()).isEqualTo("demo");
    assertThat(s.transport()).isEqualTo(ServerConfig.Transport.STDIO);
    assertThat(s.prefix()).isTrue();
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.initTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.http()).isNull();
    assertThat(s.stdio()).isEqualTo(new StdioConfig(List.of("node", "server.js"), Map.of(), List.of("PATH"), null,
        StdioConfig.Isolation.SHARED, 4 * 1024 * 1024, Duration.ofSeconds(30)));
  }

  @Test
  void httpServerDefaults() {
    ServerConfig s = parse("servers:\n  remote:\n    url: https://mcp.example.com/mcp\n").servers().getFirst();
    assertThat(s.transport()).isEqualTo(ServerConfig.Transport.HTTP);
    assertThat(s.stdio()).isNull();
    assertThat(s.http()).isEqualTo(new HttpConfig(URI.create("https://mcp.example.com/mcp"), Map.of(),
        Duration.ofSeconds(5), 64));
  }

  @Test
  void everyKeySet() {
    GatewayConfig c = parse("""
        listen:
          host: 0.0.0.0
          port: 8443
          path: /gateway/mcp
          allowed-hosts: [Warden.Example.com, localhost]
          allowed-origins: ["https://app.example.com", "http://localhost:3000"]
          allow-insecure-http: true
        limits:
          max-body-bytes: 1048576
          max-json-depth: 32
          max-header-bytes: 8192
          max-sse-streams-per-session: 2
          max-sessions: 500
          sse-replay-events: 0
          max-pending-per-session: 8
        sessions:
          idle-timeout: 10m
          max-lifetime: 8h
        audit:
          path: ${config.dir}/audit.jsonl
          queue-capacity: 100
        tool-separator: "__"
        page-size: 50
        servers:
          local:
            transport: stdio
            command: ["${java}", "-jar", "${warden.home}/x.jar"]
            env: {LEVEL: debug, KEY: "${env:API_KEY}"}
            env-passthrough: [PATH, LANG]
            working-dir: ${config.dir}/work
            isolation: per-session
            max-line-bytes: 65536
            restart-backoff-max: 5s
            prefix: false
            request-timeout: 500ms
            init-timeout: 1d
          remote:
            transport: http
            url: https://mcp.example.com/mcp
            headers: {Authorization: "Bearer ${env:API_KEY}", X-Team: blue}
            connect-timeout: 2s
            max-connections: 4
        """);
    assertThat(c.listen().allowedHosts()).containsExactly("warden.example.com", "localhost");
    assertThat(c.listen().allowedOrigins()).containsExactly("https://app.example.com", "http://localhost:3000");
    assertThat(c.limits()).isEqualTo(new LimitsConfig(1048576, 32, 8192, 2, 500, 0, 8));
    assertThat(c.sessions().idleTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.audit().path()).isEqualTo(CONFIG_DIR + "/audit.jsonl");
    assertThat(c.toolSeparator()).isEqualTo("__");
    assertThat(c.pageSize()).isEqualTo(50);
    assertThat(c.servers()).extracting(ServerConfig::name).containsExactly("local", "remote");
    ServerConfig local = c.servers().get(0);
    assertThat(local.prefix()).isFalse();
    assertThat(local.requestTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(local.initTimeout()).isEqualTo(Duration.ofDays(1));
    assertThat(local.stdio().command()).containsExactly(ConfigLoader.javaBinary(), "-jar", HOME + "/x.jar");
    assertThat(local.stdio().env()).containsOnly(Map.entry("LEVEL", "debug"), Map.entry("KEY", "s3cr3t"));
    assertThat(local.stdio().envPassthrough()).containsExactly("PATH", "LANG");
    assertThat(local.stdio().workingDir()).isEqualTo(CONFIG_DIR + "/work");
    assertThat(local.stdio().isolation()).isEqualTo(StdioConfig.Isolation.PER_SESSION);
    assertThat(local.stdio().maxLineBytes()).isEqualTo(65536);
    assertThat(local.stdio().restartBackoffMax()).isEqualTo(Duration.ofSeconds(5));
    HttpConfig remote = c.servers().get(1).http();
    assertThat(remote.headers()).containsOnly(Map.entry("Authorization", "Bearer s3cr3t"), Map.entry("X-Team", "blue"));
    assertThat(remote.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(remote.maxConnections()).isEqualTo(4);
  }

  @Test
  void aSingleStringCommandIsOneArgumentNotAShellLine() {
    ServerConfig s = parse(withServer("command: node server.js --flag")).servers().getFirst();
    assertThat(s.stdio().command()).containsExactly("node server.js --flag");
  }

  // ---- errors, all at once

  @Test
  void everyErrorIsReportedAtOnceWithItsPath() {
    List<ConfigError> errors = errors("""
        listen:
          port: 99999
          path: mcp
        limits:
          max-json-depth: 2
        sessions:
          idle-timeout: 30
        tool-separator: "/"
        servers:
          good:
            command: [ok]
          "bad name":
            command: [x]
          nothing: {}
        """);
    assertThat(errors).extracting(ConfigError::path).containsExactlyInAnyOrder(
        "listen.port", "listen.path", "limits.max-json-depth", "sessions.idle-timeout", "tool-separator",
        "servers.bad name", "servers.nothing");
    assertThat(errors.stream().map(ConfigError::toString))
        .anyMatch(e -> e.startsWith("listen.port: must be between 0 and 65535 (was 99999)"))
        .anyMatch(e -> e.startsWith("servers.nothing: needs 'command'"));
  }

  @Test
  void exceptionMessageListsEveryError() {
    assertThatThrownBy(() -> parse("page-size: 0\nservers: {}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("  - page-size: must be between 1 and 10000")
        .hasMessageContaining("  - servers: at least one server is required");
  }

  @Test
  void missingServersIsAnError() {
    assertThat(errors("listen:\n  port: 1\n")).extracting(ConfigError::toString)
        .containsExactly("servers: at least one server is required");
  }

  @Test
  void emptyDocumentIsAnError() {
    assertThat(errorPaths("")).containsExactly("servers");
  }

  @Test
  void serversMustBeAMapping() {
    assertThat(errors("servers: [a, b]\n")).extracting(ConfigError::toString)
        .contains("servers: must be a mapping")
        .doesNotHaveDuplicates();
  }

  @Test
  void documentMustBeAMapping() {
    assertThat(errors("- a\n- b\n")).extracting(ConfigError::toString).containsExactly("(root): the document must be a mapping");
  }

  @Test
  void invalidYamlIsReported() {
    assertThat(errors("servers: [unclosed\n")).singleElement().satisfies(e -> {
      assertThat(e.path()).isEmpty();
      assertThat(e.message()).startsWith("not valid YAML");
    });
  }

  @Test
  void duplicateKeysAreRefused() {
    assertThat(errors("page-size: 1\npage-size: 2\n" + ONE_SERVER)).singleElement()
        .satisfies(e -> assertThat(e.message()).startsWith("not valid YAML"));
  }

  @Test
  void aliasBombIsRefusedNotExpanded() {
    StringBuilder y = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 12; i++) {
      String prev = "*a" + (i - 1);
      y.append("a").append(i).append(": &a").append(i).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(10, prev))).append("]\n");
    }
    y.append(ONE_SERVER);
    assertThat(errors(y.toString())).singleElement().satisfies(e -> assertThat(e.message()).startsWith("not valid YAML"));
  }

  // ---- unknown keys

  @Test
  void unknownKeysAreErrorsAtEveryLevel() {
    List<ConfigError> errors = errors("""
        listn: {}
        listen:
          hots: [a]
        limits:
          max-body: 1
        audit:
          file: x
        servers:
          demo:
            command: [x]
            enviroment: {A: b}
        """);
    assertThat(errors).extracting(ConfigError::path)
        .containsExactlyInAnyOrder("listn", "listen.hots", "limits.max-body", "audit.file", "servers.demo.enviroment");
    assertThat(errors).filteredOn(e -> e.path().equals("listen.hots")).singleElement()
        .satisfies(e -> assertThat(e.message()).startsWith("unknown key (allowed: host, port, path, allowed-hosts, allowed-origins"));
  }

  @Test
  void aTypoInCommandIsNotSilentlyIgnored() {
    List<String> paths = errorPaths(withServer("comand: [x]"));
    assertThat(paths).containsExactlyInAnyOrder("servers.s", "servers.s.comand");
  }

  // ---- values

  @ParameterizedTest
  @ValueSource(strings = {"30", "5 minutes", "5M", "1.5s", "-1s", "0s", "0ms", "s", "1w", "PT5S"})
  void badDurations(String value) {
    assertThat(errors("sessions:\n  idle-timeout: " + value + "\n" + ONE_SERVER)).singleElement().satisfies(e -> {
      assertThat(e.path()).isEqualTo("sessions.idle-timeout");
      assertThat(e.message()).containsAnyOf("must be a duration", "longer than zero");
    });
  }

  @Test
  void durationUnits() {
    GatewayConfig c = parse(withServer("""
        command: [x]
        request-timeout: 250ms
        init-timeout: 3m
        restart-backoff-max: 2h
        """));
    ServerConfig s = c.servers().getFirst();
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(s.initTimeout()).isEqualTo(Duration.ofMinutes(3));
    assertThat(s.stdio().restartBackoffMax()).isEqualTo(Duration.ofHours(2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"port: -1", "port: 65536", "port: abc", "port: 1.5", "port: [1]"})
  void badPorts(String line) {
    assertThat(errorPaths("listen:\n  " + line + "\n" + ONE_SERVER)).containsExactly("listen.port");
  }

  @Test
  void numbersBeyondLongAreRefusedNotWrapped() {
    // 2^64 + 1024 would wrap to 1024, a value inside the allowed range.
    assertThat(errorPaths("limits:\n  max-body-bytes: 18446744073709552640\n" + ONE_SERVER))
        .containsExactly("limits.max-body-bytes");
    assertThat(errorPaths("listen:\n  port: 4294967376\n" + ONE_SERVER)).containsExactly("listen.port");
  }

  @Test
  void prefixMustBeABoolean() {
    assertThat(errorPaths(withServer("command: [x]\nprefix: maybe"))).containsExactly("servers.s.prefix");
  }

  @Test
  void commandElementsMustBeStrings() {
    assertThat(errorPaths(withServer("command: [x, {a: b}]"))).containsExactly("servers.s.command[1]");
  }

  @Test
  void emptyCommandIsAnError() {
    assertThat(errorPaths(withServer("command: []"))).containsExactly("servers.s.command");
  }

  @Test
  void isolationMustBeKnown() {
    assertThat(errors(withServer("command: [x]\nisolation: none"))).singleElement()
        .satisfies(e -> assertThat(e).hasToString("servers.s.isolation: must be 'shared' or 'per-session'"));
  }

  @Test
  void envValuesMustBeStrings() {
    assertThat(errorPaths(withServer("command: [x]\nenv: {A: [1, 2]}"))).containsExactly("servers.s.env.A");
    assertThat(errorPaths(withServer("command: [x]\nenv: [A]"))).containsExactly("servers.s.env");
  }

  @Test
  void listenPathMustBeAnAbsolutePathWithoutQuery() {
    assertThat(errorPaths("listen:\n  path: /mcp?x=1\n" + ONE_SERVER)).containsExactly("listen.path");
    assertThat(errorPaths("listen:\n  path: mcp\n" + ONE_SERVER)).containsExactly("listen.path");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://app.example.com/path", "app.example.com", "*", "null", "ftp://x.example"})
  void allowedOriginsMustBeOrigins(String origin) {
    assertThat(errorPaths("listen:\n  allowed-origins: [\"" + origin + "\"]\n" + ONE_SERVER))
        .containsExactly("listen.allowed-origins");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "", "___", "a", ":"})
  void badToolSeparators(String sep) {
    assertThat(errorPaths("tool-separator: \"" + sep + "\"\n" + ONE_SERVER)).containsExactly("tool-separator");
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "-", "__", "_.", "--"})
  void goodToolSeparators(String sep) {
    assertThat(parse("tool-separator: \"" + sep + "\"\n" + ONE_SERVER).toolSeparator()).isEqualTo(sep);
  }

  // ---- server names

  @Test
  void serverNameUpTo31CharactersPlusSeparatorIsAccepted() {
    String name = "a".repeat(31);
    assertThat(parse("servers:\n  " + name + ":\n    command: [x]\n").servers().getFirst().name()).isEqualTo(name);
  }

  @Test
  void serverNameTooLongWithTheSeparatorIsRefused() {
    String name32 = "a".repeat(32);
    assertThat(errors("servers:\n  " + name32 + ":\n    command: [x]\n")).singleElement().satisfies(e -> {
      assertThat(e.path()).isEqualTo("servers." + name32);
      assertThat(e.message()).contains("plus separator is 33 characters");
    });
    String name31 = "b".repeat(31);
    assertThat(errors("tool-separator: \"__\"\nservers:\n  " + name31 + ":\n    command: [x]\n")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("plus separator is 33 characters"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"my server\"", "\"a/b\"", "\"ü\"", "\"a.b\"", "\"x:y\""})
  void serverNamesAreToolNameCharactersOnly(String name) {
    assertThat(errors("servers:\n  " + name + ":\n    command: [x]\n")).singleElement()
        .satisfies(e -> assertThat(e.message()).startsWith("server name must be 1-32 of"));
  }

  @Test
  void serverMustBeAMapping() {
    assertThat(errors("servers:\n  s: node\n")).extracting(ConfigError::toString)
        .containsExactly("servers.s: must be a mapping with 'command' (stdio) or 'url' (HTTP)");
  }

  // ---- listen host and DNS rebinding

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "192.168.1.10", "example.com", "::", "localhost.example.com"})
  void nonLoopbackHostNeedsAllowedHosts(String host) {
    assertThat(errors("listen:\n  host: \"" + host + "\"\n  allow-insecure-http: true\n" + ONE_SERVER)).singleElement().satisfies(e -> {
      assertThat(e.path()).isEqualTo("listen.allowed-hosts");
      assertThat(e.message()).contains("DNS rebinding");
    });
  }

  @Test
  void nonLoopbackHostWithAllowedHostsIsAccepted() {
    GatewayConfig c = parse("listen:\n  host: 0.0.0.0\n  allowed-hosts: [warden.internal]\n  allow-insecure-http: true\n" + ONE_SERVER);
    assertThat(c.listen().host()).isEqualTo("0.0.0.0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "localhost", "LOCALHOST", "::1"})
  void loopbackHostsNeedNoAllowList(String host) {
    assertThat(parse("listen:\n  host: \"" + host + "\"\n" + ONE_SERVER).listen().host()).isEqualTo(host);
  }

  @Test
  void loopbackCheckNeverResolvesNames() {
    assertThat(ConfigLoader.isLoopback("localhost")).isTrue();
    assertThat(ConfigLoader.isLoopback("ip6-localhost")).isFalse();
    assertThat(ConfigLoader.isLoopback("127.0.0.1.nip.io")).isFalse();
  }

  // ---- stdio versus http keys

  @Test
  void httpKeysOnAStdioServerAreErrors() {
    assertThat(errors(withServer("""
        command: [x]
        headers: {A: b}
        connect-timeout: 1s
        max-connections: 2
        """))).extracting(ConfigError::toString).containsExactlyInAnyOrder(
        "servers.s.headers: only for HTTP servers",
        "servers.s.connect-timeout: only for HTTP servers",
        "servers.s.max-connections: only for HTTP servers");
  }

  @Test
  void stdioKeysOnAnHttpServerAreErrors() {
    assertThat(errors(withServer("""
        url: http://127.0.0.1:9000/mcp
        env: {A: b}
        env-passthrough: [PATH]
        working-dir: /tmp
        isolation: shared
        max-line-bytes: 2048
        restart-backoff-max: 1s
        """))).extracting(ConfigError::path).containsExactlyInAnyOrder(
        "servers.s.env", "servers.s.env-passthrough", "servers.s.working-dir", "servers.s.isolation",
        "servers.s.max-line-bytes", "servers.s.restart-backoff-max");
  }

  @Test
  void commandAndUrlTogetherAreRefused() {
    assertThat(errors(withServer("command: [x]\nurl: http://127.0.0.1/mcp"))).extracting(ConfigError::toString)
        .containsExactly("servers.s.url: not allowed with transport stdio");
    assertThat(errors(withServer("transport: http\ncommand: [x]\nurl: http://127.0.0.1/mcp")))
        .extracting(ConfigError::toString).containsExactly("servers.s.command: not allowed with transport http");
  }

  @Test
  void explicitTransportNeedsItsKey() {
    assertThat(errorPaths(withServer("transport: stdio\nurl: http://127.0.0.1/mcp")))
        .containsExactlyInAnyOrder("servers.s.command", "servers.s.url");
    assertThat(errorPaths(withServer("transport: http\nenv: {A: b}"))).containsExactlyInAnyOrder("servers.s.url", "servers.s.env");
  }

  @Test
  void unknownTransport() {
    assertThat(errors(withServer("transport: grpc\ncommand: [x]"))).extracting(ConfigError::toString)
        .containsExactly("servers.s.transport: must be 'stdio' or 'http'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://x.example/mcp", "/relative/mcp", "127.0.0.1:8080/mcp", "http://", "file:///etc/passwd", "http://exa mple.com/"})
  void badUrls(String url) {
    assertThat(errorPaths(withServer("url: \"" + url + "\""))).containsExactly("servers.s.url");
  }

  @Test
  void emptyAuthorizationHeaderIsRefused() {
    assertThat(errorPaths(withServer("url: https://x.example/mcp\nheaders: {authorization: \"\"}")))
        .containsExactly("servers.s.headers");
  }

  // ---- placeholders

  @Test
  void placeholdersExpand() {
    GatewayConfig c = parse(withServer("""
        command: ["${java}", "${warden.home}/bin/x", "${config.dir}", "--key=${env:API_KEY}:${env:API_KEY}", "$notaplaceholder"]
        """));
    assertThat(c.servers().getFirst().stdio().command()).containsExactly(
        ConfigLoader.javaBinary(), HOME + "/bin/x", CONFIG_DIR.toString(), "--key=s3cr3t:s3cr3t", "$notaplaceholder");
    assertThat(ConfigLoader.javaBinary()).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  @Test
  void expandedValuesAreTakenLiterally() {
    ServerConfig s = parse(withServer("command: [x]\nenv: {V: \"${env:DOLLAR}\"}")).servers().getFirst();
    assertThat(s.stdio().env()).containsEntry("V", "a$1\\b");
  }

  @Test
  void placeholdersInUrlAuditPathAndWorkingDir() {
    GatewayConfig c = parse("""
        audit: {path: "${warden.home}/data/audit.jsonl"}
        servers:
          h: {url: "https://${env:API_KEY}.example.com/mcp"}
          s: {command: [x], working-dir: "${config.dir}"}
        """);
    assertThat(c.audit().path()).isEqualTo(HOME + "/data/audit.jsonl");
    assertThat(c.servers().get(0).http().url()).isEqualTo(URI.create("https://s3cr3t.example.com/mcp"));
    assertThat(c.servers().get(1).stdio().workingDir()).isEqualTo(CONFIG_DIR.toString());
  }

  @Test
  void missingEnvironmentVariableIsAnError() {
    assertThat(errors(withServer("command: [x]\nenv: {K: \"${env:NOT_SET_ANYWHERE}\"}"))).extracting(ConfigError::toString)
        .containsExactly("servers.s.env: environment variable NOT_SET_ANYWHERE is not set");
    assertThat(errors(withServer("url: https://x.example/mcp\nheaders: {Authorization: \"Bearer ${env:NO_TOKEN}\"}")))
        .extracting(ConfigError::toString).containsExactly("servers.s.headers: environment variable NO_TOKEN is not set");
  }

  @Test
  void unknownPlaceholderIsAnError() {
    assertThat(errors(withServer("command: [\"${home}\"]"))).singleElement().satisfies(e -> {
      assertThat(e.path()).isEqualTo("servers.s.command");
      assertThat(e.message()).startsWith("unknown placeholder ${home}");
    });
  }

  // ---- files

  @Test
  void loadUsesTheFilesDirectoryForConfigDir(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("warden.yaml");
    Files.writeString(file, withServer("command: [\"${config.dir}/server\"]"));
    GatewayConfig c = loader.load(file);
    assertThat(c.servers().getFirst().stdio().command()).containsExactly(dir.toAbsolutePath() + "/server");
  }

  @Test
  void unreadableFileIsAConfigError(@TempDir Path dir) {
    Path missing = dir.resolve("absent.yaml");
    assertThatThrownBy(() -> loader.load(missing))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).singleElement()
            .satisfies(err -> assertThat(err.message()).startsWith("cannot read file")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "on", "\"true\"", "1"})
  void onlyTrueAndFalseAreBooleans(String value) {
    assertThat(errorPaths(withServer("command: [x]\nprefix: " + value))).containsExactly("servers.s.prefix");
  }

  @Test
  void theExamplesInTheConfigurationGuideAreValid() throws IOException {
    Path guide = Path.of("../docs/configuration.md");
    if (!Files.exists(guide)) {
      return;
    }
    ConfigLoader withSecrets = new ConfigLoader(Map.of("DEMO_API_KEY", "k", "TICKETS_TOKEN", "t"), HOME);
    String[] blocks = Files.readString(guide).split("```yaml\n");
    assertThat(blocks.length - 1).as("yaml examples in the guide").isGreaterThanOrEqualTo(2);
    for (int i = 1; i < blocks.length; i++) {
      String yaml = blocks[i].substring(0, blocks[i].indexOf("```"));
      GatewayConfig c = withSecrets.parse(yaml, "configuration.md example " + i, CONFIG_DIR);
      assertThat(c.servers()).isNotEmpty();
    }
  }

  @Test
  void theBundledDemoConfigurationIsValid() {
    Path demo = Path.of("../examples/demo.yaml");
    if (Files.exists(demo)) {
      GatewayConfig c = loader.load(demo);
      assertThat(c.servers()).extracting(ServerConfig::name).containsExactly("demo");
      assertThat(c.listen().host()).isEqualTo("127.0.0.1");
    }
  }
}
