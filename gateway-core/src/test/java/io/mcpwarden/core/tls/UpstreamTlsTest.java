package io.mcpwarden.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpwarden.core.config.UpstreamTlsConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real handshakes between a Jetty client built by {@link UpstreamTls} and HTTPS servers: a private
 * CA, pins, and a server that demands a client certificate. Each refusal has a passing twin.
 */
class UpstreamTlsTest {
  @TempDir static Path dir;
  static TestPki pki;
  static TestPki.Issued serverCert;
  static TestPki.Issued clientCert;
  static TestPki.Issued wrongName;
  static Server plain;
  static Server mutual;
  static Server misnamed;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir, "upstream-ca");
    serverCert = pki.issue("upstream", "EC", "dns:localhost,ip:127.0.0.1");
    clientCert = pki.issue("gateway-client", "RSA", null);
    wrongName = pki.issue("elsewhere", "EC", "dns:elsewhere.example");
    plain = server(serverCert, false);
    mutual = server(serverCert, true);
    misnamed = server(wrongName, false);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Server s : new Server[] {plain, mutual, misnamed}) {
      if (s != null) {
        s.stop();
      }
    }
  }

  /** An HTTPS server answering with the client certificate's subject, or "anonymous". */
  static Server server(TestPki.Issued cert, boolean needClientAuth) throws Exception {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    KeyMaterial m = KeyMaterial.load(cert.certFile(), cert.keyFile());
    ssl.setKeyStore(m.toKeyStore("s", "pw".toCharArray()));
    ssl.setKeyStorePassword("pw");
    if (needClientAuth) {
      java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", pki.caCertificate());
      ssl.setTrustStore(trust);
      ssl.setNeedClientAuth(true);
    }
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.addCustomizer(new SecureRequestCustomizer(false));
    ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    c.setHost("127.0.0.1");
    server.addConnector(c);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        EndPoint.SslSessionData ssl = (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        X509Certificate[] peer = ssl == null ? null : ssl.peerCertificates();
        String who = peer == null || peer.length == 0 ? "anonymous" : peer[0].getSubjectX500Principal().getName();
        Content.Sink.write(response, true, who, callback);
        return true;
      }
    });
    server.start();
    return server;
  }

  static String get(Server server, String host, UpstreamTlsConfig config) throws Exception {
    HttpClient client = new HttpClient();
    client.setSslContextFactory(UpstreamTls.clientFactory("tickets", config));
    client.start();
    try {
      int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
      ContentResponse r = client.GET("https://" + host + ":" + port + "/mcp");
      return new String(r.getContent(), StandardCharsets.UTF_8);
    } finally {
      client.stop();
    }
  }

  static UpstreamTlsConfig ca() {
    return new UpstreamTlsConfig(pki.caFile(), List.of(), null, null);
  }

  static Throwable rootOf(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  @Test
  void aPlainHttpUpstreamsFactoryLoadsNothingAndRefusesEveryTlsConnection() throws Exception {
    SslContextFactory.Client none = UpstreamTls.plainHttp("tickets");
    HttpClient client = new HttpClient();
    client.setSslContextFactory(none);
    client.start();
    Server http = new Server();
    ServerConnector c = new ServerConnector(http);
    c.setHost("127.0.0.1");
    http.addConnector(c);
    http.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        Content.Sink.write(response, true, "plain", callback);
        return true;
      }
    });
    http.start();
    try {
      assertThat(none.getSslContext()).as("no TLS context was set up").isNull();
      ContentResponse r = client.GET("http://127.0.0.1:" + c.getLocalPort() + "/mcp");
      assertThat(r.getContentAsString()).as("plain HTTP works").isEqualTo("plain");
      int tlsPort = ((ServerConnector) plain.getConnectors()[0]).getLocalPort();
      assertThatThrownBy(() -> client.GET("https://127.0.0.1:" + tlsPort + "/mcp"))
          .as("a TLS connection through the plain-HTTP factory fails instead of trusting anything")
          .isInstanceOf(ExecutionException.class)
          .satisfies(e -> assertThat(rootOf(e)).hasMessageContaining("http:// URL"));
    } finally {
      client.stop();
      http.stop();
    }
  }

  @Test
  void aCaBundleReplacesTheDefaultTrust() throws Exception {
    assertThat(get(plain, "127.0.0.1", ca())).isEqualTo("anonymous");
    assertThatThrownBy(() -> get(plain, "127.0.0.1", UpstreamTlsConfig.DEFAULT))
        .as("the JDK's default trust does not know the private CA").isInstanceOf(ExecutionException.class);
  }

  @Test
  void hostNamesAreStillVerifiedWithAPrivateCa() throws Exception {
    assertThatThrownBy(() -> get(misnamed, "127.0.0.1", ca())).isInstanceOf(ExecutionException.class)
        .satisfies(e -> assertThat(rootOf(e).getMessage()).containsIgnoringCase("127.0.0.1"));
    assertThat(get(plain, "localhost", ca())).isEqualTo("anonymous");
  }

  @Test
  void theRightPinConnectsAndAWrongPinFailsClosed() throws Exception {
    UpstreamTlsConfig right = new UpstreamTlsConfig(pki.caFile(), List.of(SpkiPins.of(serverCert.certificate())), null, null);
    assertThat(get(plain, "127.0.0.1", right)).isEqualTo("anonymous");
    UpstreamTlsConfig caPin = new UpstreamTlsConfig(pki.caFile(), List.of("sha256/" + SpkiPins.of(pki.caCertificate())), null, null);
    assertThat(get(plain, "127.0.0.1", caPin)).isEqualTo("anonymous");
    UpstreamTlsConfig wrong = new UpstreamTlsConfig(pki.caFile(), List.of(SpkiPins.of(clientCert.certificate())), null, null);
    assertThatThrownBy(() -> get(plain, "127.0.0.1", wrong)).isInstanceOf(ExecutionException.class)
        .satisfies(e -> assertThat(rootOf(e).getMessage()).startsWith("upstream 'tickets': certificate pin mismatch"));
  }

  @Test
  void aClientCertificateIsPresentedWhenConfigured() throws Exception {
    UpstreamTlsConfig mtls = new UpstreamTlsConfig(pki.caFile(), List.of(), clientCert.certFile(), clientCert.keyFile());
    assertThat(get(mutual, "127.0.0.1", mtls)).isEqualTo("CN=gateway-client");
    assertThatThrownBy(() -> get(mutual, "127.0.0.1", ca())).as("the server demands a client certificate")
        .isInstanceOf(ExecutionException.class);
  }

  @Test
  void unusableMaterialNamesTheServerAndTheFile() {
    UpstreamTlsConfig bad = new UpstreamTlsConfig(dir.resolve("missing-ca.pem"), List.of(), null, null);
    assertThatThrownBy(() -> UpstreamTls.clientFactory("tickets", bad)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("server 'tickets': tls: cannot read").hasMessageContaining("missing-ca.pem");
    UpstreamTlsConfig mismatched = new UpstreamTlsConfig(null, List.of(), clientCert.certFile(), serverCert.keyFile());
    assertThatThrownBy(() -> UpstreamTls.clientFactory("tickets", mismatched)).hasMessageContaining("does not belong");
  }
}
