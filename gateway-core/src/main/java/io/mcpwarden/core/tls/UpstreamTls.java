package io.mcpwarden.core.tls;

import io.mcpwarden.core.config.UpstreamTlsConfig;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Builds the client TLS of one HTTPS upstream from {@code servers.<name>.tls}: a CA bundle that
 * replaces the default trust, SPKI pins checked after validation, and a client certificate.
 *
 * <p>Host name verification stays on in every case ({@code HTTPS} endpoint identification), so
 * a private CA or a pin never turns into "trust any name".
 */
public final class UpstreamTls {
  private UpstreamTls() {}

  /**
   * A Jetty client TLS factory for the upstream {@code server}; Jetty's default when
   * {@code config} asks for nothing special.
   *
   * @throws IllegalArgumentException naming the server and the file when the material is unusable
   */
  public static SslContextFactory.Client clientFactory(String server, UpstreamTlsConfig config) {
    SslContextFactory.Client factory = new SslContextFactory.Client();
    factory.setEndpointIdentificationAlgorithm("HTTPS");
    if (config == null || config.isDefault()) {
      return factory;
    }
    try {
      factory.setSslContext(sslContext(server, config));
    } catch (TlsMaterialException e) {
      throw new IllegalArgumentException("server '" + server + "': tls: " + e.getMessage(), e);
    }
    return factory;
  }

  /**
   * The TLS factory for an upstream reached over plain {@code http://}: nothing to load, and any
   * attempt to open a TLS connection with it fails. Jetty's HTTP client always starts a TLS
   * factory, and the default one reads the JDK's trust store and sets up a TLS context (about a
   * tenth of the gateway's start-up) for connections such an upstream never makes; redirects,
   * the only way to another scheme, are refused anyway.
   */
  public static SslContextFactory.Client plainHttp(String server) {
    return new PlainHttp(server);
  }

  /** A client TLS factory that never loads anything and refuses every TLS engine. */
  private static final class PlainHttp extends SslContextFactory.Client {
    private final String server;

    PlainHttp(String server) {
      this.server = server;
    }

    @Override
    protected void doStart() {
      // Deliberately nothing: no key store, trust store or SSLContext for a plain-HTTP upstream.
    }

    @Override
    protected void doStop() {
      // Nothing was started.
    }

    @Override
    public SSLContext getSslContext() {
      return null; // none was made, and none will be
    }

    @Override
    public javax.net.ssl.SSLEngine newSSLEngine() {
      throw refused();
    }

    @Override
    public javax.net.ssl.SSLEngine newSSLEngine(String host, int port) {
      throw refused();
    }

    private IllegalStateException refused() {
      return new IllegalStateException("server '" + server + "' is configured with an http:// URL: no TLS connection is made to it");
    }
  }

  /** The SSL context for {@code config}: its trust managers and, for mTLS, its key managers. */
  public static SSLContext sslContext(String server, UpstreamTlsConfig config) throws TlsMaterialException {
    try {
      List<X509Certificate> anchors = config.caFile() == null ? List.of() : PemFiles.certificates(config.caFile());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (anchors.isEmpty()) {
        tmf.init((KeyStore) null);
      } else {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < anchors.size(); i++) {
          trust.setCertificateEntry("ca-" + i, anchors.get(i));
        }
        tmf.init(trust);
      }
      X509ExtendedTrustManager trust = extendedTrustManager(tmf.getTrustManagers());
      if (!config.pinSha256().isEmpty()) {
        trust = new PinningTrustManager(server, trust, SpkiPins.parseAll(config.pinSha256()), anchors);
      }
      KeyManager[] keyManagers = null;
      if (config.clientCertFile() != null) {
        KeyMaterial client = KeyMaterial.load(config.clientCertFile(), config.clientKeyFile());
        char[] password = KeyMaterial.randomPassword();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(client.toKeyStore("client", password), password);
        keyManagers = kmf.getKeyManagers();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new TlsMaterialException("cannot set up TLS: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new TlsMaterialException(e.getMessage(), e);
    }
  }

  private static X509ExtendedTrustManager extendedTrustManager(TrustManager[] managers) {
    for (TrustManager m : managers) {
      if (m instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new IllegalStateException("the JDK's default trust manager factory has no X509ExtendedTrustManager");
  }
}
