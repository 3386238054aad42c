package io.mcpwarden.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.TlsConfig;
import io.mcpwarden.core.config.UpstreamTlsConfig;
import io.mcpwarden.core.tls.SpkiPins;
import io.mcpwarden.server.tls.SelfSigned;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code listen.tls}, {@code listen.allow-insecure-http} and {@code servers.<name>.tls}. */
class TlsConfigReaderTest {
  private static final String ONE_SERVER = "servers:\n  demo:\n    command: [\"node\", \"server.js\"]\n";

  @TempDir static Path home;
  static SelfSigned pair;
  static SelfSigned other;
  static Path pkcs1;

  private final ConfigLoader loader = new ConfigLoader(Map.of(), home);

  @BeforeAll
  static void files() throws IOException {
    pair = SelfSigned.create(home, "gw");
    other = SelfSigned.create(home, "other");
    pkcs1 = home.resolve("pkcs1.pem");
    Files.writeString(pkcs1, SelfSigned.pem("RSA PRIVATE KEY", new byte[] {0x30, 0x00}));
  }

  private GatewayConfig parse(String yaml) {
    return loader.parse(yaml, "test.yaml", home.resolve("conf"));
  }

  private List<String> errors(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.errors().stream().map(ConfigError::toString).toList();
    }
    throw new AssertionError("expected the configuration to be refused:\n" + yaml);
  }

  private static String listenTls(String tlsBody) {
    return "listen:\n  tls:\n" + tlsBody.indent(4) + ONE_SERVER;
  }

  private static String upstream(String url, String tlsBody) {
    return "servers:\n  up:\n    url: " + url + "\n    tls:\n" + tlsBody.indent(6);
  }

  // ---- listen.tls

  @Test
  void tlsDefaultsAreTls13OnlyHstsForAYearAndReload() {
    TlsConfig t = parse(listenTls("cert-file: " + pair.certFile() + "\nkey-file: " + pair.keyFile())).listen().tls();
    assertThat(t).isEqualTo(new TlsConfig(pair.certFile(), pair.keyFile(), List.of("TLSv1.3"),
        new TlsConfig.Hsts(Duration.ofDays(365), false), Duration.ofSeconds(5)));
  }

  @Test
  void everyTlsKeySet() {
    GatewayConfig c = parse(listenTls("""
        cert-file: gw-cert.pem
        key-file: ${config.dir}/../gw-key.pem
        protocols: [TLSv1.3, TLSv1.2]
        hsts: {max-age: 2y, include-subdomains: true}
        reload: true
        reload-interval: 500ms
        """));
    assertThat(c.listen().tls()).isEqualTo(new TlsConfig(home.resolve("gw-cert.pem"), pair.keyFile(),
        List.of("TLSv1.3", "TLSv1.2"), new TlsConfig.Hsts(Duration.ofDays(730), true), Duration.ofMillis(500)));
    assertThat(c.listen().scheme()).isEqualTo("https");
  }

  @Test
  void hstsAndReloadCanBeTurnedOff() {
    TlsConfig t = parse(listenTls("cert-file: " + pair.certFile() + "\nkey-file: " + pair.keyFile()
        + "\nhsts: false\nreload: false")).listen().tls();
    assertThat(t.hsts()).isNull();
    assertThat(t.reloadInterval()).isNull();
    assertThat(parse(listenTls("cert-file: " + pair.certFile() + "\nkey-file: " + pair.keyFile()
        + "\nhsts: {max-age: 30d}")).listen().tls().hsts()).isEqualTo(new TlsConfig.Hsts(Duration.ofDays(30), false));
  }

  @Test
  void tlsMistakesAreReportedWithTheirPaths() {
    assertThat(errors(listenTls("""
        key-file: %s
        protocols: [TLSv1.3, TLSv1.1]
        hsts: {max-age: forever, preload: true}
        reload: false
        reload-interval: 1s
        ciphers: [x]
        """.formatted(pair.keyFile())))).containsExactlyInAnyOrder(
        "listen.tls.cert-file: is required: a PEM certificate chain, the gateway's certificate first",
        "listen.tls.protocols: 'TLSv1.1' is not allowed: list TLSv1.3 and, only if old clients need it, TLSv1.2",
        "listen.tls.hsts.max-age: must be a duration such as 500ms, 30s, 5m, 2h or 1d (was 'forever')",
        "listen.tls.hsts.preload: unknown key (allowed: max-age, include-subdomains)",
        "listen.tls.reload-interval: has no effect with reload: false",
        "listen.tls.ciphers: unknown key (allowed: cert-file, key-file, protocols, hsts, reload, reload-interval)");
  }

  @Test
  void unusableFilesAreConfigurationErrors() {
    assertThat(errors(listenTls("cert-file: " + pair.certFile() + "\nkey-file: " + pkcs1))).singleElement()
        .satisfies(e -> assertThat(e).startsWith("listen.tls.key-file: " + pkcs1).contains("openssl pkcs8 -topk8 -nocrypt"));
    assertThat(errors(listenTls("cert-file: " + pair.certFile() + "\nkey-file: " + other.keyFile()))).singleElement()
        .satisfies(e -> assertThat(e).contains("does not belong to the first certificate"));
    assertThat(errors(listenTls("cert-file: missing.pem\nkey-file: " + pair.keyFile()))).singleElement()
        .satisfies(e -> assertThat(e).isEqualTo("listen.tls.key-file: cannot read " + home.resolve("missing.pem") + ": no such file"));
  }

  // ---- plain HTTP off loopback

  @Test
  void plainHttpOffLoopbackIsAConfigurationError() {
    assertThat(errors("listen:\n  host: 0.0.0.0\n  allowed-hosts: [gw.example.com]\n" + ONE_SERVER)).singleElement()
        .satisfies(e -> assertThat(e).startsWith("listen.tls: is required when listening on the non-loopback address 0.0.0.0")
            .contains("listen.allow-insecure-http: true"));
  }

  @Test
  void plainHttpOffLoopbackNeedsTheExplicitOptIn() {
    GatewayConfig c = parse("listen:\n  host: 0.0.0.0\n  allowed-hosts: [gw.example.com]\n  allow-insecure-http: true\n" + ONE_SERVER);
    assertThat(c.listen().tls()).isNull();
    assertThat(c.listen().allowInsecureHttp()).isTrue();
    assertThat(c.listen().scheme()).isEqualTo("http");
  }

  @Test
  void httpsOffLoopbackNeedsNoOptInAndRefusesAContradictoryOne() {
    String tls = "  tls: {cert-file: " + pair.certFile() + ", key-file: " + pair.keyFile() + "}\n";
    GatewayConfig c = parse("listen:\n  host: 0.0.0.0\n  allowed-hosts: [gw.example.com]\n" + tls + ONE_SERVER);
    assertThat(c.listen().tls()).isNotNull();
    assertThat(c.listen().allowInsecureHttp()).isFalse();
    assertThat(errors("listen:\n  host: 0.0.0.0\n  allowed-hosts: [gw.example.com]\n  allow-insecure-http: true\n" + tls + ONE_SERVER))
        .containsExactly("listen.allow-insecure-http: contradicts listen.tls: remove one of them");
  }

  @Test
  void loopbackNeedsNeither() {
    GatewayConfig c = parse(ONE_SERVER);
    assertThat(c.listen().tls()).isNull();
    assertThat(c.listen().allowInsecureHttp()).isFalse();
  }

  // ---- servers.<name>.tls

  @Test
  void upstreamTlsDefaultsToTheJdkTrust() {
    assertThat(parse("servers:\n  up:\n    url: https://mcp.example.com/mcp\n").servers().getFirst().http().tls())
        .isEqualTo(UpstreamTlsConfig.DEFAULT);
  }

  @Test
  void everyUpstreamTlsKeySet() {
    String pin = SpkiPins.of(pair.certificate());
    UpstreamTlsConfig t = parse(upstream("https://127.0.0.1:8443/mcp", """
        ca-file: %s
        pin-sha256: ["sha256/%s", "%s"]
        client-cert-file: other-cert.pem
        client-key-file: other-key.pem
        """.formatted(pair.certFile(), pin, SpkiPins.of(other.certificate())))).servers().getFirst().http().tls();
    assertThat(t).isEqualTo(new UpstreamTlsConfig(pair.certFile(), List.of(pin, SpkiPins.of(other.certificate())),
        other.certFile(), other.keyFile()));
  }

  @Test
  void upstreamTlsMistakesAreReportedWithTheirPaths() {
    assertThat(errors(upstream("http://127.0.0.1:8080/mcp", """
        ca-file: %s
        pin-sha256: [abc, "%s"]
        client-cert-file: %s
        verify: false
        """.formatted(pair.keyFile(), SpkiPins.of(pair.certificate()), pair.certFile())))).containsExactlyInAnyOrder(
        "servers.up.tls: only for https:// URLs",
        "servers.up.tls.ca-file: " + pair.keyFile() + ": no certificate found; expected PEM blocks '-----BEGIN CERTIFICATE-----'",
        "servers.up.tls.pin-sha256[0]: 'abc' is 2 bytes; a SHA-256 pin is 32 bytes (44 base64 characters); a pin is the base64 SHA-256"
            + " of a SubjectPublicKeyInfo: " + SpkiPins.HOW_TO,
        "servers.up.tls.client-key-file: client-cert-file and client-key-file go together",
        "servers.up.tls.verify: unknown key (allowed: ca-file, pin-sha256, client-cert-file, client-key-file)");
  }

  @Test
  void aClientKeyOfAnotherCertificateIsRefused() {
    assertThat(errors(upstream("https://up.example.com/mcp",
        "client-cert-file: " + pair.certFile() + "\nclient-key-file: " + other.keyFile()))).singleElement()
        .satisfies(e -> assertThat(e).startsWith("servers.up.tls.client-key-file: ").contains("does not belong"));
  }

  @Test
  void tlsIsOnlyForHttpServers() {
    assertThat(errors("servers:\n  s:\n    command: [x]\n    tls: {ca-file: x.pem}\n")).containsExactly("servers.s.tls: only for HTTP servers");
  }
}
