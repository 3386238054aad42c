package io.mcpwarden.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpwarden.core.config.ListenConfig;
import io.mcpwarden.core.config.TlsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The front connector: plain HTTP only where allowed, HTTPS with HSTS, and certificate reload. */
class EdgeListenerTest {
  @TempDir static Path dir;
  static SelfSigned first;
  static SelfSigned second;

  @BeforeAll
  static void certificates() {
    first = SelfSigned.create(dir, "first");
    second = SelfSigned.create(dir, "second");
  }

  private static ListenConfig listen(String host, TlsConfig tls, boolean insecure) {
    return new ListenConfig(host, 0, "/mcp", List.of("gw.example.com"), List.of(), tls, insecure);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "localhost", "LocalHost", "::1", "[::1]"})
  void loopbackAddresses(String host) {
    assertThat(EdgeListener.isLoopback(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", "localhost.example.com", "127.example.com"})
  void nonLoopbackAddresses(String host) {
    assertThat(EdgeListener.isLoopback(host)).isFalse();
  }

  @Test
  void plainHttpOffLoopbackIsRefusedUnlessExplicitlyAllowed() {
    Server server = new Server();
    assertThatThrownBy(() -> EdgeListener.connector(server, new HttpConfiguration(), listen("0.0.0.0", null, false)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("listen.host 0.0.0.0 is not a loopback address and listen.tls is not configured")
        .hasMessageContaining("listen.allow-insecure-http: true");
    ServerConnector allowed = EdgeListener.connector(server, new HttpConfiguration(), listen("0.0.0.0", null, true));
    assertThat(allowed.getConnectionFactory(SslConnectionFactory.class)).isNull();
    ServerConnector loopback = EdgeListener.connector(server, new HttpConfiguration(), listen("127.0.0.1", null, false));
    assertThat(loopback.getDefaultProtocol()).startsWith("HTTP/1.1");
  }

  @Test
  void tlsConnectorOffersTheConfiguredProtocolsAndHsts() {
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    TlsConfig tls = new TlsConfig(first.certFile(), first.keyFile(), List.of("TLSv1.3"), new TlsConfig.Hsts(Duration.ofDays(730), true), null);
    ServerConnector c = EdgeListener.connector(server, http, listen("0.0.0.0", tls, false));
    SslContextFactory.Server ssl = c.getConnectionFactory(SslConnectionFactory.class).getSslContextFactory();
    assertThat(ssl.getIncludeProtocols()).containsExactly("TLSv1.3");
    SecureRequestCustomizer secure = http.getCustomizer(SecureRequestCustomizer.class);
    assertThat(secure.getStsMaxAge()).isEqualTo(Duration.ofDays(730).toSeconds());
    assertThat(secure.isStsIncludeSubDomains()).isTrue();
    assertThat(server.getBeans(CertificateReloader.class)).as("reload off").isEmpty();
  }

  @Test
  void anUnusableKeyFailsTheStartWithTheFile() throws Exception {
    Path key = dir.resolve("pkcs1.pem");
    Files.writeString(key, SelfSigned.pem("RSA PRIVATE KEY", new byte[] {0x30, 0x00}));
    TlsConfig tls = TlsConfig.of(first.certFile(), key);
    assertThatThrownBy(() -> EdgeListener.connector(new Server(), new HttpConfiguration(), listen("127.0.0.1", tls, false)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("listen.tls: ").hasMessageContaining("pkcs1.pem").hasMessageContaining("openssl pkcs8 -topk8");
  }

  @Test
  void aChangedPairIsReloadedAndAMismatchedOneIsSkipped() throws Exception {
    Path cert = dir.resolve("live-cert.pem");
    Path key = dir.resolve("live-key.pem");
    first.copyTo(cert, key);
    Server server = new Server();
    TlsConfig tls = new TlsConfig(cert, key, TlsConfig.DEFAULT_PROTOCOLS, TlsConfig.Hsts.DEFAULT, Duration.ofHours(1));
    ServerConnector c = EdgeListener.connector(server, new HttpConfiguration(), listen("127.0.0.1", tls, false));
    SslContextFactory.Server ssl = c.getConnectionFactory(SslConnectionFactory.class).getSslContextFactory();
    CertificateReloader reloader = server.getBean(CertificateReloader.class);
    ssl.start();
    try {
      assertThat(served(ssl)).isEqualTo(first.certificate());
      reloader.poll();
      assertThat(reloader.reloads()).as("unchanged files").isZero();

      // A renewal tool that has written the new certificate but not yet its key.
      Files.copy(second.certFile(), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      reloader.poll();
      assertThat(reloader.reloads()).isZero();
      assertThat(served(ssl)).as("the old pair stays in use").isEqualTo(first.certificate());

      Files.copy(second.keyFile(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      reloader.poll();
      assertThat(reloader.reloads()).isEqualTo(1);
      assertThat(served(ssl)).isEqualTo(second.certificate());

      Files.delete(key);
      reloader.poll();
      assertThat(served(ssl)).as("a missing file changes nothing").isEqualTo(second.certificate());
    } finally {
      ssl.stop();
    }
  }

  /** The certificate the started factory loaded (what new handshakes present). */
  private static X509Certificate served(SslContextFactory ssl) {
    return ssl.getX509(EdgeListener.KEY_ALIAS).getCertificate();
  }
}
