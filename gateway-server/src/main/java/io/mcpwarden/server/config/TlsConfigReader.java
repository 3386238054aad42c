package io.mcpwarden.server.config;

import io.mcpwarden.core.config.TlsConfig;
import io.mcpwarden.core.config.UpstreamTlsConfig;
import io.mcpwarden.core.tls.KeyMaterial;
import io.mcpwarden.core.tls.PemFiles;
import io.mcpwarden.core.tls.SpkiPins;
import io.mcpwarden.core.tls.TlsMaterialException;
import io.mcpwarden.server.tls.EdgeListener;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code listen.tls}, {@code listen.allow-insecure-http} and {@code servers.<name>.tls},
 * loading every certificate and key named there so that a bad file is a configuration error
 * with its path, not a failed start.
 */
final class TlsConfigReader {
  private static final Pattern YEARS = Pattern.compile("^(\\d+)y$");

  private final BiFunction<YamlNode, String, String> expand;
  private final Path home;

  /**
   * @param expand placeholder expansion of the loader
   * @param home relative file names are resolved against it ({@code ${warden.home}})
   */
  TlsConfigReader(BiFunction<YamlNode, String, String> expand, Path home) {
    this.expand = expand;
    this.home = home;
  }

  /** What {@code listen} says about transport security. */
  record Listen(TlsConfig tls, boolean allowInsecureHttp) {}

  /**
   * Reads the TLS keys of the {@code listen} mapping {@code n}; plain HTTP on a non-loopback
   * {@code host} without the explicit opt-in is an error at {@code listen.tls}.
   */
  Listen listen(YamlNode n, String host) {
    YamlNode tlsNode = n.get("tls");
    YamlNode insecureNode = n.get("allow-insecure-http");
    boolean insecure = insecureNode.bool(false);
    TlsConfig tls = tlsNode.isMissing() ? null : listenTls(tlsNode);
    if (tlsNode.isMissing() && !EdgeListener.isLoopback(host) && !insecure) {
      tlsNode.error("is required when listening on the non-loopback address " + host
          + ": give cert-file and key-file (PEM), or set listen.allow-insecure-http: true if a TLS-terminating proxy is in front"
          + " (plain HTTP would carry tokens and tool data in clear)");
    }
    if (!tlsNode.isMissing() && insecure) {
      insecureNode.error("contradicts listen.tls: remove one of them");
    }
    return new Listen(tls, insecure && tlsNode.isMissing());
  }

  private TlsConfig listenTls(YamlNode n) {
    if (!n.isMap()) {
      n.error("must be a mapping with cert-file and key-file");
      return null;
    }
    YamlNode certNode = n.get("cert-file");
    YamlNode keyNode = n.get("key-file");
    Path cert = requiredPath(certNode, "a PEM certificate chain, the gateway's certificate first");
    Path key = requiredPath(keyNode, "a PEM PKCS#8 private key (BEGIN PRIVATE KEY)");
    List<String> protocols = protocols(n.get("protocols"));
    TlsConfig.Hsts hsts = hsts(n.get("hsts"));
    boolean reload = n.get("reload").bool(true);
    YamlNode intervalNode = n.get("reload-interval");
    Duration interval = intervalNode.duration(TlsConfig.DEFAULT_RELOAD_INTERVAL);
    if (!reload && !intervalNode.isMissing()) {
      intervalNode.error("has no effect with reload: false");
    }
    n.rejectUnknownKeys();
    if (cert != null && key != null) {
      try {
        KeyMaterial.load(cert, key);
      } catch (TlsMaterialException e) {
        keyNode.error(e.getMessage());
      }
    }
    if (cert == null || key == null || protocols.isEmpty()) {
      return null;
    }
    return new TlsConfig(cert, key, protocols, hsts, reload ? interval : null);
  }

  private static List<String> protocols(YamlNode n) {
    List<String> out = new ArrayList<>();
    for (String p : n.strings(TlsConfig.DEFAULT_PROTOCOLS)) {
      if (!TlsConfig.SUPPORTED_PROTOCOLS.contains(p)) {
        n.error("'" + p + "' is not allowed: list TLSv1.3 and, only if old clients need it, TLSv1.2");
      } else if (!out.contains(p)) {
        out.add(p);
      }
    }
    if (out.isEmpty() && !n.isMissing()) {
      n.error("must list TLSv1.3 and/or TLSv1.2");
    }
    return out;
  }

  /** {@code hsts: false} turns it off; else a mapping of max-age (a duration or {@code Ny}) and include-subdomains. */
  private static TlsConfig.Hsts hsts(YamlNode n) {
    if (n.isMissing()) {
      return TlsConfig.Hsts.DEFAULT;
    }
    if (Boolean.FALSE.equals(n.raw())) {
      return null;
    }
    if (!n.isMap()) {
      n.error("must be false or a mapping with max-age and include-subdomains");
      return TlsConfig.Hsts.DEFAULT;
    }
    YamlNode ageNode = n.get("max-age");
    Duration age;
    Matcher years = YEARS.matcher(String.valueOf(ageNode.raw()).trim());
    if (!ageNode.isMissing() && years.matches() && Long.parseLong(years.group(1)) > 0) {
      age = Duration.ofDays(365 * Long.parseLong(years.group(1)));
    } else {
      age = ageNode.duration(TlsConfig.Hsts.DEFAULT.maxAge());
    }
    boolean sub = n.get("include-subdomains").bool(false);
    n.rejectUnknownKeys();
    return new TlsConfig.Hsts(age, sub);
  }

  /** Reads {@code servers.<name>.tls} of an HTTP server; the default when absent. */
  UpstreamTlsConfig upstream(YamlNode n, URI url) {
    if (n.isMissing()) {
      return UpstreamTlsConfig.DEFAULT;
    }
    if (!n.isMap()) {
      n.error("must be a mapping (ca-file, pin-sha256, client-cert-file, client-key-file)");
      return UpstreamTlsConfig.DEFAULT;
    }
    if (!"https".equals(url.getScheme())) {
      n.error("only for https:// URLs");
    }
    YamlNode caNode = n.get("ca-file");
    Path ca = optionalPath(caNode);
    if (ca != null) {
      try {
        PemFiles.certificates(ca);
      } catch (TlsMaterialException e) {
        caNode.error(e.getMessage());
      }
    }
    YamlNode pinsNode = n.get("pin-sha256");
    List<String> pins = new ArrayList<>();
    List<String> raw = pinsNode.strings(List.of());
    for (int i = 0; i < raw.size(); i++) {
      try {
        pins.add(SpkiPins.parse(raw.get(i)));
      } catch (IllegalArgumentException e) {
        pinsNode.item(i).error(e.getMessage() + "; a pin is the base64 SHA-256 of a SubjectPublicKeyInfo: " + SpkiPins.HOW_TO);
      }
    }
    if (!pinsNode.isMissing() && raw.isEmpty()) {
      pinsNode.error("must list at least one pin (or leave the key out)");
    }
    YamlNode certNode = n.get("client-cert-file");
    YamlNode keyNode = n.get("client-key-file");
    Path cert = optionalPath(certNode);
    Path key = optionalPath(keyNode);
    n.rejectUnknownKeys();
    if ((cert == null) != (key == null)) {
      (cert == null ? certNode : keyNode).error("client-cert-file and client-key-file go together");
      return UpstreamTlsConfig.DEFAULT;
    }
    if (cert != null) {
      try {
        KeyMaterial.load(cert, key);
      } catch (TlsMaterialException e) {
        keyNode.error(e.getMessage());
      }
    }
    return new UpstreamTlsConfig(ca, pins, cert, key);
  }

  private Path requiredPath(YamlNode n, String what) {
    if (n.isMissing()) {
      n.error("is required: " + what);
      return null;
    }
    return optionalPath(n);
  }

  private Path optionalPath(YamlNode n) {
    String s = expand.apply(n, n.string(null));
    if (s == null) {
      return null;
    }
    if (s.isBlank()) {
      n.error("must be a file name");
      return null;
    }
    try {
      Path p = Path.of(s);
      return (p.isAbsolute() ? p : home.resolve(p)).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      n.error("not a valid file name: " + e.getMessage());
      return null;
    }
  }
}
