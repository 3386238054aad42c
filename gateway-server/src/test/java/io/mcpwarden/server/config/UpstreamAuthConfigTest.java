package io.mcpwarden.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.SecretsConfig;
import io.mcpwarden.core.config.UpstreamAuthConfig;
import io.mcpwarden.core.config.UpstreamAuthConfig.ClientAuthMethod;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code servers.<name>.auth}, {@code secrets:} and where {@code ${secret:NAME}} may appear. */
class UpstreamAuthConfigTest {
  private static final Path HOME = Path.of("/opt/warden");
  private final ConfigLoader loader = new ConfigLoader(Map.of("IDP", "https://idp.example.com"), HOME);

  private GatewayConfig parse(String yaml) {
    return loader.parse(yaml, "test.yaml", Path.of("/etc/warden"));
  }

  private List<String> errors(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.errors().stream().map(ConfigError::toString).toList();
    }
    throw new AssertionError("expected the configuration to be refused:\n" + yaml);
  }

  private static String http(String auth) {
    return "servers:\n  crm:\n    url: https://crm.example.com/mcp\n    auth:\n" + auth.indent(6);
  }

  private UpstreamAuthConfig auth(String yaml) {
    return parse(yaml).servers().getFirst().http().auth();
  }

  @Test
  void noAuthIsTheDefault() {
    assertThat(auth("servers:\n  crm:\n    url: https://crm.example.com/mcp\n")).isEqualTo(UpstreamAuthConfig.NONE);
    assertThat(auth(http("type: none"))).isEqualTo(UpstreamAuthConfig.NONE);
  }

  @Test
  void staticBearerAndApiKey() {
    assertThat(auth(http("type: static\nvalue: ${secret:crm-token}")))
        .isEqualTo(new UpstreamAuthConfig.Static("Authorization", "Bearer", "crm-token"));
    assertThat(auth(http("type: static\nheader: X-Api-Key\nvalue: \"${secret:crm-key}\"")))
        .isEqualTo(new UpstreamAuthConfig.Static("X-Api-Key", null, "crm-key"));
    assertThat(auth(http("type: static\nheader: Authorization\nscheme: Token\nvalue: ${secret:t}")))
        .isEqualTo(new UpstreamAuthConfig.Static("Authorization", "Token", "t"));
  }

  @Test
  void clientCredentialsWithEveryKey() {
    UpstreamAuthConfig a = auth(http("""
        type: client-credentials
        token-endpoint: ${env:IDP}/oauth2/token
        client-id: warden
        client-secret: ${secret:idp-secret}
        client-auth: client_secret_post
        scope: [crm.read, crm.write]
        resource: https://crm.example.com/mcp
        audience: crm-api
        refresh-skew: 45s
        timeout: 5s"""));
    assertThat(a).isEqualTo(new UpstreamAuthConfig.ClientCredentials(
        new UpstreamAuthConfig.TokenEndpoint(URI.create("https://idp.example.com/oauth2/token"), "warden", "idp-secret",
            ClientAuthMethod.CLIENT_SECRET_POST, Duration.ofSeconds(5)),
        new UpstreamAuthConfig.TokenTarget(List.of("crm.read", "crm.write"), List.of(URI.create("https://crm.example.com/mcp")),
            List.of("crm-api"), Duration.ofSeconds(45))));
  }

  @Test
  void tokenExchangeDefaultsItsResourceToTheUpstream() {
    UpstreamAuthConfig.TokenExchange a = (UpstreamAuthConfig.TokenExchange) auth(http("""
        type: token-exchange
        token-endpoint: https://idp.example.com/token
        client-id: warden
        client-secret: ${secret:idp-secret}
        scope: "crm.read crm.write\""""));
    assertThat(a.target().resources()).containsExactly(URI.create("https://crm.example.com/mcp"));
    assertThat(a.target().audiences()).isEmpty();
    assertThat(a.target().scopes()).containsExactly("crm.read", "crm.write");
    assertThat(a.target().refreshSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(a.maxCachedSubjects()).isEqualTo(10_000);
    assertThat(a.endpoint().method()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_BASIC);

    UpstreamAuthConfig.TokenExchange withAudience = (UpstreamAuthConfig.TokenExchange) auth(http("""
        type: token-exchange
        token-endpoint: https://idp.example.com/token
        client-id: warden
        client-secret: ${secret:idp-secret}
        audience: crm
        max-cached-subjects: 50"""));
    assertThat(withAudience.target().resources()).isEmpty();
    assertThat(withAudience.target().audiences()).containsExactly("crm");
    assertThat(withAudience.maxCachedSubjects()).isEqualTo(50);
  }

  @Test
  void credentialsMustComeFromTheSecretStore() {
    assertThat(errors(http("type: static\nvalue: plain-token"))).singleElement().asString()
        .startsWith("servers.crm.auth.value: must be a reference to the secret store such as ${secret:NAME}");
    assertThat(errors(http("type: static"))).singleElement().asString().startsWith("servers.crm.auth.value: is required");
    assertThat(errors(http("type: client-credentials\ntoken-endpoint: https://idp/t\nclient-id: w\nclient-secret: ${env:IDP}")))
        .singleElement().asString().startsWith("servers.crm.auth.client-secret: must be a reference to the secret store");
    assertThat(errors(http("type: static\nvalue: ${secret:bad name}"))).singleElement().asString().contains("not a valid secret name");
  }

  @Test
  void everyMistakeIsReportedWithItsPath() {
    List<String> errs = errors(http("""
        type: token-exchange
        token-endpoint: http://idp.example.com/token
        client-auth: private_key_jwt
        scope: "ok bad\\"scope"
        resource: not-absolute
        refresh-skew: 2h
        max-cached-subjects: 0
        colour: blue"""));
    assertThat(errs).anyMatch(e -> e.startsWith("servers.crm.auth.token-endpoint: must use https"));
    assertThat(errs).anyMatch(e -> e.startsWith("servers.crm.auth.client-id: is required"));
    assertThat(errs).anyMatch(e -> e.startsWith("servers.crm.auth.client-secret: is required"));
    assertThat(errs).anyMatch(e -> e.startsWith("servers.crm.auth.client-auth: must be client_secret_basic or client_secret_post"));
    assertThat(errs).anyMatch(e -> e.startsWith("servers.crm.auth.scope: 'bad\"scope' is not a valid scope"));
    assertThat(errs).anyMatch(e -> e.startsWith("servers.crm.auth.resource: 'not-absolute' must be an absolute URI"));
    assertThat(errs).anyMatch(e -> e.startsWith("servers.crm.auth.refresh-skew: must be at most"));
    assertThat(errs).anyMatch(e -> e.startsWith("servers.crm.auth.max-cached-subjects: must be between 1"));
    assertThat(errs).anyMatch(e -> e.startsWith("servers.crm.auth.colour: unknown key"));
    assertThat(errors(http("type: magic"))).singleElement().asString().contains("must be none, static, client-credentials or token-exchange");
    assertThat(errors(http("header: X"))).anyMatch(e -> e.startsWith("servers.crm.auth.type: is required"));
  }

  @Test
  void tokenEndpointsMayUseHttpOnLoopback() {
    UpstreamAuthConfig.ClientCredentials a = (UpstreamAuthConfig.ClientCredentials) auth(http(
        "type: client-credentials\ntoken-endpoint: http://127.0.0.1:8080/token\nclient-id: w\nclient-secret: ${secret:s}"));
    assertThat(a.endpoint().tokenEndpoint()).isEqualTo(URI.create("http://127.0.0.1:8080/token"));
  }

  @Test
  void theCredentialHeaderMustNotClashWithStaticOrTransportHeaders() {
    assertThat(errors("servers:\n  crm:\n    url: https://crm.example.com/mcp\n    headers: {authorization: x}\n"
        + "    auth: {type: static, value: '${secret:t}'}\n"))
        .singleElement().asString().startsWith("servers.crm.headers: header authorization is set by auth");
    assertThat(errors(http("type: static\nheader: Mcp-Session-Id\nvalue: ${secret:t}")))
        .singleElement().asString().contains("is a header of the transport itself");
  }

  @Test
  void secretsGoOnlyIntoStdioEnvAndAuth() {
    GatewayConfig c = parse("servers:\n  gh:\n    command: [node, s.js]\n    env:\n      GITHUB_TOKEN: ${secret:gh-token}\n"
        + "      MIXED: \"Bearer ${secret:gh-token} at ${env:IDP}\"\n");
    assertThat(c.servers().getFirst().stdio().env())
        .containsEntry("GITHUB_TOKEN", "${secret:gh-token}")
        .containsEntry("MIXED", "Bearer ${secret:gh-token} at https://idp.example.com");

    assertThat(errors("servers:\n  gh:\n    command: [node, s.js, --token, '${secret:gh-token}']\n"))
        .singleElement().asString().startsWith("servers.gh.command: ${secret:gh-token} is not allowed here");
    assertThat(errors("servers:\n  crm:\n    url: https://crm.example.com/mcp\n    headers: {X-Key: '${secret:k}'}\n"))
        .singleElement().asString().startsWith("servers.crm.headers: ${secret:k} is not allowed here");
    assertThat(errors("servers:\n  gh:\n    command: [node]\n    auth: {type: none}\n"))
        .singleElement().asString().startsWith("servers.gh.auth: only for HTTP servers");
    assertThat(errors("servers:\n  gh:\n    command: [node]\n    env: {A: '${secret:no such}'}\n"))
        .singleElement().asString().contains("not a valid secret name");
  }

  @Test
  void theStoreKeyIsNeverPassedToAServer() {
    assertThat(errors("servers:\n  gh:\n    command: [node]\n    env-passthrough: [PATH, MCP_WARDEN_SECRETS_KEY]\n"))
        .singleElement().asString().startsWith("servers.gh.env-passthrough: MCP_WARDEN_SECRETS_KEY holds the secret store key");
  }

  @Test
  void secretsSectionDefaultsUnderTheHome() {
    GatewayConfig c = parse("servers:\n  gh:\n    command: [node]\n");
    assertThat(c.secrets()).isEqualTo(new SecretsConfig(HOME.resolve("data/secrets.enc"), HOME.resolve("data/secrets.key"), "MCP_WARDEN_SECRETS_KEY"));
    GatewayConfig custom = parse("secrets:\n  store: /var/lib/warden/s.enc\n  key-file: keys/s.key\n  key-env: MY_KEY\n"
        + "servers:\n  gh:\n    command: [node]\n");
    assertThat(custom.secrets()).isEqualTo(new SecretsConfig(Path.of("/var/lib/warden/s.enc"), HOME.resolve("keys/s.key"), "MY_KEY"));
    assertThat(errors("secrets:\n  key-env: 'bad name'\n  stor: x\nservers:\n  gh:\n    command: [node]\n"))
        .anyMatch(e -> e.startsWith("secrets.key-env: must be an environment variable name"))
        .anyMatch(e -> e.startsWith("secrets.stor: unknown key"));
  }

  @Test
  void theExamplesOfTheSecretsGuideAreValid() throws java.io.IOException {
    Path guide = Path.of("../docs/secrets.md");
    if (!java.nio.file.Files.exists(guide)) {
      return;
    }
    String[] blocks = java.nio.file.Files.readString(guide).split("```yaml\n");
    int checked = 0;
    for (int i = 1; i < blocks.length; i++) {
      String yaml = blocks[i].substring(0, blocks[i].indexOf("```"));
      if (yaml.contains("servers:")) {
        assertThat(parse(yaml).servers()).allMatch(s -> s.http() == null || s.http().auth() != UpstreamAuthConfig.NONE);
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(3);
  }

  @Test
  void theLoadedConfigurationHoldsNoSecretValue() {
    GatewayConfig c = parse(http("type: static\nvalue: ${secret:crm-token}"));
    assertThat(c.toString()).contains("crm-token").doesNotContain("Bearer ey");
  }
}
