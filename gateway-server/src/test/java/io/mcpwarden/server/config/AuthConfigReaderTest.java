package io.mcpwarden.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.config.AuthConfig;
import io.mcpwarden.core.config.GatewayConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code auth:} section and the session keys that come with it. */
class AuthConfigReaderTest {
  private static final Path HOME = Path.of("/opt/warden");
  private static final String SERVER = "servers:\n  demo:\n    command: [\"node\", \"server.js\"]\n";

  private final ConfigLoader loader = new ConfigLoader(Map.of("INTRO_SECRET", "s3cr3t"), HOME);

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

  @Test
  void absentSectionMeansAuthenticationOff() {
    GatewayConfig c = parse(SERVER);
    assertThat(c.auth()).isNull();
    assertThat(c.sessions().maxPerUser()).isEqualTo(32);
    assertThat(c.sessions().adminTokenRef()).isNull();
  }

  @Test
  void fullSectionIsRead() {
    GatewayConfig c = parse(SERVER + """
        sessions:
          max-per-user: 5
          admin-token: env:INTRO_SECRET
        auth:
          resource: HTTPS://GW.Example.com/mcp
          issuers:
            - issuer: https://idp.example.com/realms/mcp
            - issuer: https://login.example.com/tenant/v2.0
              jwks-uri: https://login.example.com/tenant/discovery/v2.0/keys
          audiences: [https://gw.example.com/mcp, api://warden]
          required-scopes: [mcp:tools]
          scopes-supported: [mcp:tools, mcp:admin]
          servers:
            demo:
              required-scopes: [demo:use]
              tools:
                add: { required-scopes: [demo:write], high-risk: true }
          clock-skew: 30s
          algorithms: [RS256, ES256]
          require-typ: true
          jwks-cache-ttl: 5m
          jwks-refresh-cooldown: 1m
          introspection:
            endpoint: https://idp.example.com/introspect
            client-id: warden
            client-secret: env:INTRO_SECRET
          replay-cache-size: 1000
          max-token-bytes: 4096
        """);
    AuthConfig a = c.auth();
    assertThat(a.resource()).isEqualTo(URI.create("https://gw.example.com/mcp"));
    assertThat(a.issuers()).extracting(AuthConfig.Issuer::issuer).containsExactly("https://idp.example.com/realms/mcp", "https://login.example.com/tenant/v2.0");
    assertThat(a.issuers().get(1).jwksUri()).hasToString("https://login.example.com/tenant/discovery/v2.0/keys");
    assertThat(a.audiences()).containsExactly("https://gw.example.com/mcp", "api://warden");
    assertThat(a.requiredScopes()).containsExactly("mcp:tools");
    assertThat(a.scopesSupported()).containsExactly("mcp:tools", "mcp:admin");
    assertThat(a.servers().get("demo").scopes()).containsExactly("demo:use");
    assertThat(a.servers().get("demo").tools().get("add")).isEqualTo(new AuthConfig.ToolRule(List.of("demo:write"), true));
    assertThat(a.clockSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(a.algorithms()).containsExactly("RS256", "ES256");
    assertThat(a.requireTyp()).isTrue();
    assertThat(a.jwksRefreshCooldown()).isEqualTo(Duration.ofMinutes(1));
    assertThat(a.introspection().clientSecretRef()).isEqualTo("env:INTRO_SECRET");
    assertThat(a.introspection().toString()).doesNotContain("s3cr3t");
    assertThat(a.introspection().jwtsToo()).isFalse();
    assertThat(a.scopeClaims()).containsExactly("scope", "scp");
    assertThat(a.maxTokenBytes()).isEqualTo(4096);
    assertThat(c.sessions().maxPerUser()).isEqualTo(5);
    assertThat(c.sessions().adminTokenRef()).isEqualTo("env:INTRO_SECRET");
  }

  @Test
  void loopbackNeedsNoResourceAndDevIssuerMayStandAlone() {
    AuthConfig a = parse(SERVER + "auth:\n  dev-issuer:\n    enabled: true\n").auth();
    assertThat(a.resource()).isNull();
    assertThat(a.devIssuerEnabled()).isTrue();
    assertThat(a.devIssuer().keyFile()).isEqualTo(HOME.resolve("data/dev-issuer-key.json"));
    assertThat(a.algorithms()).containsExactly("RS256", "PS256", "ES256");
  }

  @Test
  void everyMistakeIsReportedWithItsPath() {
    List<String> e = errors(SERVER + """
        listen:
          host: 0.0.0.0
          allowed-hosts: [gw.example.com]
        auth:
          issuers:
            - issuer: http://idp.example.com
            - jwks-uri: https://idp.example.com/keys
          required-scopes: ["has space"]
          algorithms: [HS256, none, RS256]
          clock-skew: 1h
          servers:
            nope: { required-scopes: [x] }
          introspection:
            endpoint: https://idp.example.com/introspect
            client-secret: s3cr3t
          dev-issuer: { enabled: true }
          colour: blue
        """);
    assertThat(e).anyMatch(s -> s.startsWith("auth.resource: is required when listening on the non-loopback address"));
    assertThat(e).anyMatch(s -> s.startsWith("auth.issuers[0].issuer: must use https"));
    assertThat(e).anyMatch(s -> s.startsWith("auth.issuers[1].issuer: is required"));
    assertThat(e).anyMatch(s -> s.startsWith("auth.required-scopes: 'has space' is not a valid scope"));
    assertThat(e).anyMatch(s -> s.startsWith("auth.algorithms: 'HS256' is not accepted"));
    assertThat(e).anyMatch(s -> s.startsWith("auth.algorithms: 'none' is not accepted"));
    assertThat(e).anyMatch(s -> s.startsWith("auth.clock-skew: must be at most 10m"));
    assertThat(e).anyMatch(s -> s.startsWith("auth.servers.nope: no server named 'nope'"));
    assertThat(e).anyMatch(s -> s.startsWith("auth.introspection.client-id: is required"));
    assertThat(e).anyMatch(s -> s.startsWith("auth.introspection.client-secret: must be env:NAME or file:PATH"));
    assertThat(e).anyMatch(s -> s.startsWith("auth.dev-issuer.enabled: the development issuer runs only on loopback"));
    assertThat(e).anyMatch(s -> s.startsWith("auth.colour: unknown key"));
    assertThat(e).noneMatch(s -> s.contains("s3cr3t"));
  }

  @Test
  void authWithoutAnyIssuerIsRefused() {
    assertThat(errors(SERVER + "auth:\n  required-scopes: [a]\n")).anyMatch(s -> s.startsWith("auth.issuers: at least one trusted issuer"));
    assertThat(errors(SERVER + "auth:\n  dev-issuer: { enabled: false }\n")).anyMatch(s -> s.startsWith("auth.issuers: at least one trusted issuer"));
  }

  @Test
  void secretReferencesMustResolve() {
    List<String> e = errors(SERVER + """
        sessions:
          admin-token: file:/nonexistent/admin.token
        auth:
          issuers: [{ issuer: "https://idp.example.com" }]
          introspection:
            endpoint: https://idp.example.com/introspect
            client-id: warden
            client-secret: env:MISSING
        """);
    assertThat(e).anyMatch(s -> s.startsWith("sessions.admin-token: secret file /nonexistent/admin.token cannot be read"));
    assertThat(e).anyMatch(s -> s.startsWith("auth.introspection.client-secret: environment variable MISSING is not set"));
  }

  @Test
  void devIssuerRefusesANonLoopbackResource() {
    assertThat(errors(SERVER + "auth:\n  resource: https://gw.example.com/mcp\n  dev-issuer: { enabled: true }\n"))
        .anyMatch(s -> s.startsWith("auth.dev-issuer.enabled: the development issuer runs only for a loopback resource"));
  }

  @Test
  void scopeClaimsAreConfigurableForEntraRoles() {
    AuthConfig a = parse(SERVER + """
        auth:
          issuers: [{ issuer: "https://login.microsoftonline.com/t/v2.0" }]
          scope-claims: [scp, roles]
        """).auth();
    assertThat(a.scopeClaims()).containsExactly("scp", "roles");
  }

  @Test
  void scopeClaimsThatIdentifyTheTokenAreRefused() {
    List<String> e = errors(SERVER + """
        auth:
          issuers: [{ issuer: "https://idp.example.com" }]
          scope-claims: [scope, sub, "bad claim", scope]
        """);
    assertThat(e).anyMatch(s -> s.startsWith("auth.scope-claims: 'sub' identifies the token"));
    assertThat(e).anyMatch(s -> s.startsWith("auth.scope-claims: 'bad claim' is not a claim name"));
    assertThat(e).anyMatch(s -> s.startsWith("auth.scope-claims: lists a claim twice"));
    assertThat(errors(SERVER + "auth:\n  issuers: [{ issuer: \"https://idp.example.com\" }]\n  scope-claims: []\n"))
        .anyMatch(s -> s.startsWith("auth.scope-claims: must list at least one claim"));
  }

  @Test
  void introspectionOfJwtsTooIsOptIn() {
    String yaml = SERVER + """
        auth:
          issuers: [{ issuer: "https://idp.example.com" }]
          introspection:
            endpoint: https://idp.example.com/introspect
            client-id: warden
            client-secret: env:INTRO_SECRET
            tokens: %s
        """;
    assertThat(parse(yaml.formatted("all")).auth().introspection().jwtsToo()).isTrue();
    assertThat(parse(yaml.formatted("opaque")).auth().introspection().jwtsToo()).isFalse();
    assertThat(errors(yaml.formatted("some"))).anyMatch(s -> s.startsWith("auth.introspection.tokens: must be opaque"));
  }
}
