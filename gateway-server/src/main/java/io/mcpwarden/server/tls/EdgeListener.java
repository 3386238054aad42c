package io.mcpwarden.server.tls;

import io.mcpwarden.core.config.ListenConfig;
import io.mcpwarden.core.config.TlsConfig;
import io.mcpwarden.core.tls.KeyMaterial;
import io.mcpwarden.core.tls.TlsMaterialException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front connector: HTTPS from {@code listen.tls}, or plain HTTP where that is allowed.
 *
 * <p>Plain HTTP off loopback would carry bearer tokens and tool data in clear, so it needs the
 * explicit {@code listen.allow-insecure-http: true} (a TLS-terminating proxy in front); without
 * it the gateway does not start, whatever built the configuration.
 */
public final class EdgeListener {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeListener.class);
  static final String KEY_ALIAS = "gateway";

  private EdgeListener() {}

  /**
   * A connector for {@code listen}, added to nothing yet; with TLS the certificate watcher is a
   * bean of {@code server}, so it runs exactly while the server does.
   *
   * @param http the edge's HTTP settings; with TLS a {@link SecureRequestCustomizer} (HSTS) is added
   * @throws IllegalStateException when plain HTTP is not allowed on this address, or when the
   *     certificate or key cannot be used
   */
  public static ServerConnector connector(Server server, HttpConfiguration http, ListenConfig listen) {
    checkTransport(listen);
    TlsConfig tls = listen.tls();
    if (tls == null) {
      if (!isLoopback(listen.host())) {
        LOG.warn("listening with plain HTTP on the non-loopback address {} (listen.allow-insecure-http: true):"
            + " tokens and tool data cross the network in clear unless a TLS proxy terminates in front", listen.host());
      }
      return new ServerConnector(server, new HttpConnectionFactory(http));
    }
    KeyMaterial material;
    try {
      material = KeyMaterial.load(tls.certFile(), tls.keyFile());
    } catch (TlsMaterialException e) {
      throw new IllegalStateException("listen.tls: " + e.getMessage(), e);
    }
    warnIfExpiring(material);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    install(ssl, material);
    ssl.setIncludeProtocols(tls.protocols().toArray(new String[0]));
    // Host is checked against listen.allowed-hosts by the edge; matching it to the certificate is
    // the client's job, and a mismatch here would only turn into an opaque 400.
    ssl.setSniRequired(false);
    ssl.setRenegotiationAllowed(false);
    SecureRequestCustomizer secure = new SecureRequestCustomizer(false, false, -1, false);
    if (tls.hsts() != null) {
      secure.setStsMaxAge(tls.hsts().maxAge().toSeconds());
      secure.setStsIncludeSubDomains(tls.hsts().includeSubdomains());
    }
    http.addCustomizer(secure);
    http.setSecureScheme("https");
    ServerConnector connector = new ServerConnector(server,
        new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(http));
    if (tls.reloadInterval() != null) {
      server.addBean(new CertificateReloader(ssl, tls.certFile(), tls.keyFile(), tls.reloadInterval()));
    }
    LOG.info("HTTPS on {} with {} ({}), certificate {}", listen.host(), String.join(", ", tls.protocols()),
        tls.reloadInterval() == null ? "no reload" : "reloaded on change", material.describe());
    return connector;
  }

  /**
   * Refuses plain HTTP on a non-loopback address without the explicit opt-in. The configuration
   * loader reports the same rule with its path; this check holds for configurations built in code.
   *
   * @throws IllegalStateException saying what to configure
   */
  public static void checkTransport(ListenConfig listen) {
    if (listen.tls() == null && !listen.allowInsecureHttp() && !isLoopback(listen.host())) {
      throw new IllegalStateException(insecureMessage(listen.host()));
    }
  }

  /** Puts a certificate and key into the factory (before start, or inside a reload). */
  static void install(SslContextFactory ssl, KeyMaterial material) {
    char[] password = KeyMaterial.randomPassword();
    ssl.setKeyStore(material.toKeyStore(KEY_ALIAS, password));
    ssl.setKeyStorePassword(new String(password));
    ssl.setCertAlias(KEY_ALIAS);
  }

  static void warnIfExpiring(KeyMaterial material) {
    Instant notAfter = material.certificate().getNotAfter().toInstant();
    Instant now = Instant.now();
    if (notAfter.isBefore(now)) {
      LOG.warn("listen.tls: the certificate {} has EXPIRED; clients will refuse it", material.describe());
    } else if (notAfter.isBefore(now.plus(14, ChronoUnit.DAYS))) {
      LOG.warn("listen.tls: the certificate {} expires within 14 days", material.describe());
    }
  }

  /** The refusal, worded for the operator. */
  public static String insecureMessage(String host) {
    return "listen.host " + host + " is not a loopback address and listen.tls is not configured: refusing to serve"
        + " plain HTTP there. Configure listen.tls (cert-file, key-file), or set listen.allow-insecure-http: true"
        + " if a TLS-terminating proxy is in front";
  }

  /** Loopback as the configuration means it: {@code localhost} or a loopback IP literal; no DNS. */
  public static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!literal.matches("^[0-9.]+$") && !literal.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(literal).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
