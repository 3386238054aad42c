package io.mcpwarden.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.ListenConfig;
import io.mcpwarden.core.dispatch.Dispatcher;
import io.mcpwarden.core.tls.SpkiPins;
import io.mcpwarden.it.fixture.HttpsMcpUpstream;
import io.mcpwarden.it.support.CliRun;
import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.LogCapture;
import io.mcpwarden.it.support.RawMcp;
import io.mcpwarden.core.tls.TestPki;
import io.mcpwarden.server.config.ConfigException;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transport security end to end: the HTTPS listener (TLS 1.3 by default, HSTS, certificate
 * reload without dropping connections), the refusal of plain HTTP off loopback, and HTTPS
 * upstreams with a private CA, SPKI pins and a client certificate. Every refusal has a twin that
 * passes.
 */
class TlsIT {
  @TempDir static Path dir;
  static TestPki pki;
  static TestPki.Issued front;
  static TestPki.Issued renewed;
  static TestPki.Issued upstreamCert;
  static TestPki.Issued clientCert;
  static Path liveCert;
  static Path liveKey;
  static SSLContext trustingCa;
  static HttpsMcpUpstream upstream;
  static HttpsMcpUpstream mutual;
  static GatewayHarness gw;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir, "warden-it-ca");
    front = pki.issue("gateway", "EC", "dns:localhost,ip:127.0.0.1");
    renewed = pki.issue("gateway-renewed", "EC", "dns:localhost,ip:127.0.0.1");
    upstreamCert = pki.issue("upstream", "EC", "dns:localhost,ip:127.0.0.1");
    clientCert = pki.issue("gateway-client", "RSA", null);
    liveCert = dir.resolve("live-cert.pem");
    liveKey = dir.resolve("live-key.pem");
    install(front);
    trustingCa = sslContext(pki.caCertificate(), "TLS");
    upstream = new HttpsMcpUpstream(upstreamCert, null);
    mutual = new HttpsMcpUpstream(upstreamCert, pki.caCertificate());
    gw = GatewayHarness.start("""
        listen:
          tls:
            cert-file: %s
            key-file: %s
            reload-interval: 200ms
        servers:
          up:
            url: %s
            tls: {ca-file: %s}
        """.formatted(liveCert, liveKey, upstream.url(), pki.caFile()));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {gw, upstream, mutual}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static void install(TestPki.Issued pair) throws IOException {
    Files.copy(pair.certFile(), liveCert, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(pair.keyFile(), liveKey, StandardCopyOption.REPLACE_EXISTING);
  }

  static SSLContext sslContext(X509Certificate ca, String protocol) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance(protocol);
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  static HttpResponse<String> initialize(HttpClient client, URI url) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(url)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(RawMcp.INIT))
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static HttpClient client() {
    return HttpClient.newBuilder().sslContext(trustingCa).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  static X509Certificate peer(HttpResponse<?> response) throws Exception {
    return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
  }

  static McpSyncClient sdkClient(GatewayHarness g, SSLContext ssl) {
    String base = g.url().getScheme() + "://127.0.0.1:" + g.gateway().port();
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(base)
        .endpoint(g.gateway().config().listen().path())
        .customizeClient(b -> {
          if (ssl != null) {
            b.sslContext(ssl);
          }
        })
        .build();
    McpSyncClient client = McpClient.sync(transport).clientInfo(new McpSchema.Implementation("tls-it", "1"))
        .requestTimeout(Duration.ofSeconds(30)).build();
    client.initialize();
    return client;
  }

  static String text(McpSchema.CallToolResult r) {
    return ((McpSchema.TextContent) r.content().getFirst()).text();
  }

  // ---- HTTPS listener

  @Test
  void theGatewayServesHttpsWithTls13AndHsts() throws Exception {
    assertThat(gw.url().toString()).startsWith("https://127.0.0.1:");
    HttpResponse<String> r = initialize(client(), gw.url());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(r.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000");
  }

  @Test
  void anSdkClientTrustingTheCaListsAndCallsToolsOverHttps() {
    try (McpSyncClient client = sdkClient(gw, trustingCa)) {
      assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("up_whoami");
      assertThat(text(client.callTool(new McpSchema.CallToolRequest("up_whoami", Map.of())))).isEqualTo("anonymous");
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateCannotConnect() {
    HttpClient defaultTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(() -> initialize(defaultTrust, gw.url())).isInstanceOf(SSLException.class);
  }

  @Test
  void aTls12OnlyClientIsRefusedByDefault() throws Exception {
    assertThatThrownBy(() -> handshake(gw, "TLSv1.2")).isInstanceOf(SSLException.class);
    assertThat(handshake(gw, "TLSv1.3")).as("the twin: TLS 1.3").isEqualTo("TLSv1.3");
  }

  @Test
  void tls12AndHstsOptionsWhenConfigured() throws Exception {
    try (GatewayHarness g = GatewayHarness.start("""
        listen:
          tls:
            cert-file: %s
            key-file: %s
            protocols: [TLSv1.3, TLSv1.2]
            hsts: {max-age: 1d, include-subdomains: true}
        servers:
          up:
            url: %s
            tls: {ca-file: %s}
        """.formatted(front.certFile(), front.keyFile(), upstream.url(), pki.caFile()))) {
      assertThat(handshake(g, "TLSv1.2")).isEqualTo("TLSv1.2");
      HttpResponse<String> r = initialize(client(), g.url());
      assertThat(r.headers().firstValue("Strict-Transport-Security")).contains("max-age=86400; includeSubDomains");
    }
  }

  /** A bare handshake with only {@code protocol} enabled; returns the negotiated protocol. */
  static String handshake(GatewayHarness g, String protocol) throws Exception {
    try (SSLSocket s = (SSLSocket) trustingCa.getSocketFactory().createSocket("127.0.0.1", g.gateway().port())) {
      s.setEnabledProtocols(new String[] {protocol});
      s.setSoTimeout(10_000);
      s.startHandshake();
      return s.getSession().getProtocol();
    }
  }

  @Test
  void aReplacedCertificateIsServedToNewConnectionsWhileAnOpenOneKeepsWorking() throws Exception {
    try (SSLSocket open = (SSLSocket) trustingCa.getSocketFactory().createSocket("127.0.0.1", gw.gateway().port())) {
      open.setSoTimeout(10_000);
      assertThat(rawInitialize(open)).startsWith("HTTP/1.1 200");
      X509Certificate before = (X509Certificate) open.getSession().getPeerCertificates()[0];
      TestPki.Issued next = before.equals(front.certificate()) ? renewed : front;

      install(next);
      await().atMost(15, SECONDS).pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(peer(initialize(client(), gw.url()))).isEqualTo(next.certificate()));

      assertThat(rawInitialize(open)).as("the connection opened before the reload still works").startsWith("HTTP/1.1 200");
      assertThat(open.getSession().getPeerCertificates()[0]).isEqualTo(before);
    }
  }

  @Test
  void aHalfWrittenRenewalKeepsTheOldCertificate() throws Exception {
    X509Certificate before = peer(initialize(client(), gw.url()));
    TestPki.Issued next = before.equals(front.certificate()) ? renewed : front;
    TestPki.Issued current = next == front ? renewed : front;
    try (LogCapture log = LogCapture.of("io.mcpwarden.server.tls")) {
      Files.copy(next.certFile(), liveCert, StandardCopyOption.REPLACE_EXISTING); // the key is not written yet
      await().atMost(10, SECONDS).until(() -> log.contains("changed certificate files not loaded"));
      assertThat(peer(initialize(client(), gw.url()))).isEqualTo(before);
    } finally {
      install(current);
    }
  }

  /** POSTs initialize on an open connection (keep-alive) and returns the response head. */
  static String rawInitialize(SSLSocket socket) throws IOException {
    byte[] body = RawMcp.INIT.getBytes(StandardCharsets.UTF_8);
    OutputStream out = socket.getOutputStream();
    out.write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Accept: application/json, text/event-stream\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    InputStream in = socket.getInputStream();
    String head = readHead(in);
    long length = -1;
    boolean chunked = false;
    for (String line : head.split("\r\n")) {
      String lower = line.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(line.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    if (chunked) {
      while (true) {
        String size = readLine(in).trim();
        int n = Integer.parseInt(size.split(";")[0], 16);
        in.readNBytes(n);
        readLine(in);
        if (n == 0) {
          break;
        }
      }
    } else if (length > 0) {
      in.readNBytes((int) length);
    }
    return head;
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (true) {
      String line = readLine(in);
      if (line.isEmpty()) {
        return b.toString(StandardCharsets.US_ASCII);
      }
      b.writeBytes((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        b.write(c);
      }
    }
    if (c == -1 && b.size() == 0) {
      throw new IOException("connection closed");
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  // ---- plain HTTP off loopback

  @Test
  void plainHttpOnANonLoopbackAddressIsRefusedWithAClearMessage() {
    String host = nonLoopbackAddress().orElse("0.0.0.0");
    assertThatThrownBy(() -> GatewayHarness.start("listen:\n  host: \"" + host + "\"\n  allowed-hosts: [gw.example.com]\nservers:\n"
        + "  up:\n    url: " + upstream.url() + "\n    tls: {ca-file: " + pki.caFile() + "}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("listen.tls: is required when listening on the non-loopback address " + host)
        .hasMessageContaining("listen.allow-insecure-http: true");
    // A configuration built in code cannot skip the rule: the gateway itself refuses to start.
    assertThatThrownBy(() -> GatewayHarness.start("servers:\n  up:\n    url: " + upstream.url() + "\n    tls: {ca-file: " + pki.caFile() + "}\n",
        Clock.systemUTC(), c -> withListen(c, new ListenConfig(host, 0, "/mcp", List.of("gw.example.com"), List.of()))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("listen.host " + host + " is not a loopback address and listen.tls is not configured: refusing to serve plain HTTP");
  }

  @Test
  void plainHttpOnANonLoopbackAddressStartsWithTheExplicitOptIn() throws Exception {
    Optional<String> host = nonLoopbackAddress();
    Assumptions.assumeTrue(host.isPresent(), "this machine has no non-loopback IPv4 address");
    try (GatewayHarness g = GatewayHarness.start("listen:\n  host: \"" + host.get() + "\"\n  allowed-hosts: [\"" + host.get() + "\"]\n"
        + "  allow-insecure-http: true\nservers:\n  up:\n    url: " + upstream.url() + "\n    tls: {ca-file: " + pki.caFile() + "}\n")) {
      assertThat(g.url().toString()).startsWith("http://" + host.get() + ":");
      HttpResponse<String> r = initialize(HttpClient.newHttpClient(), g.url());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }
  }

  static GatewayConfig withListen(GatewayConfig c, ListenConfig listen) {
    return new GatewayConfig(listen, c.limits(), c.sessions(), c.audit(), c.toolSeparator(), c.pageSize(), c.servers(), c.auth(), c.secrets());
  }

  static Optional<String> nonLoopbackAddress() {
    try {
      for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
        if (!ni.isUp() || ni.isLoopback()) {
          continue;
        }
        for (InetAddress a : ni.inetAddresses().toList()) {
          if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
            return Optional.of(a.getHostAddress());
          }
        }
      }
    } catch (SocketException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  // ---- HTTPS upstreams

  @Test
  void upstreamTrustPinsAndClientCertificatesFailClosed() throws Exception {
    String wrongPin = Base64.getEncoder().encodeToString(new byte[32]);
    String rightPin = SpkiPins.of(upstreamCert.certificate());
    String yaml = """
        servers:
          ca:
            url: %1$s
            tls: {ca-file: %3$s}
          nocafile:
            url: %1$s
          pinned:
            url: %1$s
            tls: {ca-file: %3$s, pin-sha256: ["%4$s"]}
          wrongpin:
            url: %1$s
            tls: {ca-file: %3$s, pin-sha256: ["%5$s"]}
          mtls:
            url: %2$s
            tls: {ca-file: %3$s, client-cert-file: %6$s, client-key-file: %7$s}
          nocert:
            url: %2$s
            tls: {ca-file: %3$s}
        """.formatted(upstream.url(), mutual.url(), pki.caFile(), rightPin, wrongPin, clientCert.certFile(), clientCert.keyFile());
    try (LogCapture log = LogCapture.of(Dispatcher.class); GatewayHarness g = GatewayHarness.start(yaml);
        McpSyncClient client = sdkClient(g, null)) {
      assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
          .contains("ca_whoami", "pinned_whoami", "mtls_whoami")
          .doesNotContain("nocafile_whoami", "wrongpin_whoami", "nocert_whoami");
      assertThat(text(client.callTool(new McpSchema.CallToolRequest("ca_whoami", Map.of())))).isEqualTo("anonymous");
      assertThat(text(client.callTool(new McpSchema.CallToolRequest("pinned_whoami", Map.of())))).isEqualTo("anonymous");
      assertThat(text(client.callTool(new McpSchema.CallToolRequest("mtls_whoami", Map.of())))).isEqualTo("CN=gateway-client");

      // Fail closed: the upstream is left out of the session, so nothing reaches it.
      assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("wrongpin_whoami", Map.of())))
          .hasMessageContaining("Unknown tool: wrongpin_whoami");
      await().atMost(10, SECONDS).untilAsserted(() -> assertThat(g.auditEvents(Map.of("type", "session.start")))
          .anySatisfy(e -> assertThat(e.path("detail").asString()).contains("wrongpin", "nocafile", "nocert").doesNotContain("mtls,")));
      assertThat(log.messages()).anySatisfy(m -> assertThat(m).startsWith("server wrongpin: unavailable for session:")
          .contains("upstream 'wrongpin': certificate pin mismatch").contains("servers.wrongpin.tls.pin-sha256"));
      assertThat(log.messages()).anySatisfy(m -> assertThat(m).startsWith("server nocafile: unavailable for session:"));
      assertThat(log.messages()).anySatisfy(m -> assertThat(m).startsWith("server nocert: unavailable for session:"));
      assertThat(log.messages()).noneSatisfy(m -> assertThat(m).contains("server ca: unavailable"));
    }
  }

  // ---- sessions CLI over HTTPS


  @Test
  void theSessionsCliTrustsAPrivateCaGivenWithCacert() throws Exception {
    Path adminToken = dir.resolve("admin.token");
    Files.writeString(adminToken, "admin-" + java.util.UUID.randomUUID());
    try (GatewayHarness g = GatewayHarness.start("""
        listen:
          tls:
            cert-file: %s
            key-file: %s
        sessions:
          admin-token: file:%s
        servers:
          up:
            url: %s
            tls: {ca-file: %s}
        """.formatted(front.certFile(), front.keyFile(), adminToken, upstream.url(), pki.caFile()))) {
      String base = "https://127.0.0.1:" + g.gateway().port();
      CliRun trusted = CliRun.of("sessions", "list", "--url", base, "--token-file", adminToken.toString(), "--cacert", pki.caFile().toString());
      assertThat(trusted.exit()).as(trusted.err()).isZero();
      assertThat(trusted.out()).isNotBlank();
      // The twin: with the JDK's default CAs the private CA is unknown, and the error says what to do.
      CliRun untrusted = CliRun.of("sessions", "list", "--url", base, "--token-file", adminToken.toString());
      assertThat(untrusted.exit()).isEqualTo(1);
      assertThat(untrusted.err()).contains("TLS handshake").contains("--cacert");
      // A CA file that is not PEM is a usage error naming the file.
      Path notPem = Files.writeString(dir.resolve("not-a-ca.pem"), "hello");
      CliRun bad = CliRun.of("sessions", "list", "--url", base, "--token-file", adminToken.toString(), "--cacert", notPem.toString());
      assertThat(bad.exit()).isEqualTo(2);
      assertThat(bad.err()).contains("--cacert " + notPem);
    }
  }
}
