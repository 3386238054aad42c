package io.mcpwarden.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.config.ContentConfig;
import io.mcpwarden.core.config.ContentConfig.InjectionAction;
import io.mcpwarden.core.config.ContentConfig.PiiAction;
import io.mcpwarden.core.config.ContentConfig.Settings;
import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContentConfigReaderTest {
  private final ConfigLoader loader = new ConfigLoader(Map.of(), Path.of("/opt/warden"));

  private GatewayConfig parse(String yaml) {
    return loader.parse(yaml, "test.yaml", Path.of("/etc/warden"));
  }

  private List<String> errors(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.errors().stream().map(err -> err.path() + ": " + err.message()).toList();
    }
    throw new AssertionError("expected the configuration to be refused:\n" + yaml);
  }

  private static ServerConfig server(GatewayConfig c, String name) {
    return c.servers().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void withoutTheSectionTheBuiltInDefaultsApplyAndServersAreTrusted() {
    GatewayConfig c = parse("servers:\n  a:\n    command: [x]\n");
    Settings s = c.content().effective(server(c, "a").content(), "t");
    assertThat(s).isEqualTo(Settings.BUILT_IN);
    assertThat(server(c, "a").content().trust()).isEqualTo(ContentConfig.Trust.TRUSTED);
  }

  @Test
  void layersResolveTopLevelThenTrustThenServerThenTool() {
    GatewayConfig c = parse("""
        content:
          injection: redact
          pii: mask
          pii-types: { email: allow }
        servers:
          web:
            command: [x]
            trust: untrusted
            content:
              datamark: true
              pii-types: { iban: redact }
              tools:
                fetch:
                  injection: mark
                  urls: { arguments: [url], allow: ["https://Docs.Example.com/", "https://*.example.org:8443"] }
          files:
            command: [y]
            content:
              paths: { roots: [/srv/data, rel] }
              tools:
                run: { executes-commands: true, shell-metacharacters: audit, secrets-in-arguments: allow }
        """);
    ServerConfig web = server(c, "web");
    Settings server = c.content().effective(web.content(), "other");
    assertThat(server.injection()).isEqualTo(InjectionAction.BLOCK); // untrusted beats the top level
    assertThat(server.spotlight()).isTrue();
    assertThat(server.datamark()).isTrue();
    assertThat(server.piiFor("email")).isEqualTo(PiiAction.ALLOW);
    assertThat(server.piiFor("iban")).isEqualTo(PiiAction.REDACT);
    assertThat(server.piiFor("phone")).isEqualTo(PiiAction.MASK);
    Settings fetch = c.content().effective(web.content(), "fetch");
    assertThat(fetch.injection()).isEqualTo(InjectionAction.MARK);
    assertThat(fetch.urls().allow()).containsExactly("https://docs.example.com", "https://*.example.org:8443");
    Settings run = c.content().effective(server(c, "files").content(), "run");
    assertThat(run.executesCommands()).isTrue();
    assertThat(run.shell()).isEqualTo(ContentConfig.ShellAction.AUDIT);
    assertThat(run.secretsInArguments()).isEqualTo(ContentConfig.ArgumentSecretAction.ALLOW);
    assertThat(run.paths().roots()).containsExactly("/srv/data", "/opt/warden/rel");
    assertThat(run.injection()).isEqualTo(InjectionAction.REDACT);
  }

  @Test
  void everyBadKeyIsReportedWithItsPath() {
    List<String> errors = errors("""
        content:
          injection: drop
          pii-types: { Email: mask }
          tools: {}
        servers:
          a:
            command: [x]
            trust: maybe
            content:
              spotlight: yes please
              paths: { roots: [] }
              urls: { allow: ["https://example.com/path", "ftp://*"] }
              tools:
                t: { unknown-key: 1 }
        """);
    assertThat(errors).anyMatch(e -> e.startsWith("content.injection: must be one of block, redact, mark, off"));
    assertThat(errors).anyMatch(e -> e.startsWith("content.pii-types.Email: not a PII type name"));
    assertThat(errors).anyMatch(e -> e.startsWith("content.tools: unknown key"));
    assertThat(errors).anyMatch(e -> e.startsWith("servers.a.trust: must be one of trusted, untrusted"));
    assertThat(errors).anyMatch(e -> e.startsWith("servers.a.content.spotlight: must be true or false"));
    assertThat(errors).anyMatch(e -> e.startsWith("servers.a.content.paths.roots: paths needs at least one root"));
    assertThat(errors).anyMatch(e -> e.startsWith("servers.a.content.urls.allow[0]: must be an origin"));
    assertThat(errors).anyMatch(e -> e.startsWith("servers.a.content.urls.allow[1]: must be an origin"));
    assertThat(errors).anyMatch(e -> e.startsWith("servers.a.content.tools.t.unknown-key: unknown key"));
  }

  @Test
  void elicitationUrlHostsAreReadPerServerAndMalformedOnesRefused() {
    GatewayConfig c = parse("""
        servers:
          pay:
            command: [x]
            content:
              elicitation-url-hosts: [Checkout.Example.com, "*.auth.example.org"]
          other:
            command: [y]
        """);
    assertThat(server(c, "pay").content().elicitationUrlHosts()).containsExactly("checkout.example.com", "*.auth.example.org");
    assertThat(server(c, "other").content().elicitationUrlHosts()).isEmpty();

    List<String> errors = errors("""
        content:
          elicitation-url-hosts: [example.com]
        servers:
          a:
            command: [x]
            content:
              elicitation-url-hosts: ["https://example.com", "bad host", "ok.example"]
        """);
    assertThat(errors).anyMatch(e -> e.startsWith("content.elicitation-url-hosts: unknown key"));
    assertThat(errors).anyMatch(e -> e.startsWith("servers.a.content.elicitation-url-hosts: 'https://example.com' is not a host name"));
    assertThat(errors).anyMatch(e -> e.startsWith("servers.a.content.elicitation-url-hosts: 'bad host' is not a host name"));
    assertThat(errors).noneMatch(e -> e.contains("ok.example"));
  }
}
