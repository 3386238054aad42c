package io.mcpwarden.server.edge;

import io.mcpwarden.core.config.ListenConfig;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The DNS-rebinding defence: which Host and Origin headers the endpoint accepts.
 *
 * <p>A web page that rebinds its own name to 127.0.0.1 still sends its own name as Host and
 * Origin; refusing both unless listed closes that door. Without configuration only loopback names
 * are accepted, on any port.
 */
final class OriginPolicy {
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private final Set<String> hosts = new HashSet<>();
  private final Set<String> origins = new HashSet<>();

  OriginPolicy(ListenConfig listen) {
    List<String> configured = listen.allowedHosts();
    if (configured.isEmpty()) {
      hosts.addAll(LOOPBACK);
    } else {
      hosts.addAll(configured);
    }
    for (String o : listen.allowedOrigins()) {
      origins.add(o.toLowerCase(Locale.ROOT));
    }
  }

  /** Whether a Host header value (name and optional port) is acceptable. */
  boolean hostAllowed(String hostHeader) {
    if (hostHeader == null || hostHeader.isBlank()) {
      return false;
    }
    return hosts.contains(stripPort(hostHeader.trim().toLowerCase(Locale.ROOT)));
  }

  /** Whether an Origin header is acceptable; absent Origin (non-browser clients) is allowed. */
  boolean originAllowed(String origin) {
    if (origin == null) {
      return true;
    }
    String o = origin.trim().toLowerCase(Locale.ROOT);
    if (origins.contains(o)) {
      return true;
    }
    try {
      URI u = new URI(o);
      String host = u.getHost();
      if (host == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
        return false;
      }
      // Loopback origins are accepted only when loopback hosts are (the local deployment case).
      return LOOPBACK.contains(host) && hosts.contains(host.startsWith("[") ? host : host);
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  static String stripPort(String host) {
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host : host.substring(0, close + 1);
    }
    int colon = host.indexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }
}
