package io.mcpwarden.core.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a token's audience names this gateway (RFC 8707 audience binding).
 *
 * <p>URIs are compared after lowercasing scheme and host and dropping a default port, because the
 * MCP specification asks resource servers to accept those variants; everything else (path, case of
 * the path, trailing slash) must match exactly, and non-URI audiences are compared as plain
 * strings.
 */
public final class AudienceMatcher {
  private final Set<String> accepted = new LinkedHashSet<>();

  public AudienceMatcher(Collection<String> audiences) {
    for (String a : audiences) {
      accepted.add(canonical(a));
    }
    if (accepted.isEmpty()) {
      throw new IllegalArgumentException("at least one audience is needed");
    }
  }

  /** Whether any of the token's audiences is accepted. */
  public boolean matches(List<String> tokenAudiences) {
    if (tokenAudiences == null) {
      return false;
    }
    for (String a : tokenAudiences) {
      if (a != null && accepted.contains(canonical(a))) {
        return true;
      }
    }
    return false;
  }

  public Set<String> accepted() {
    return Set.copyOf(accepted);
  }

  /** Lowercase scheme and host, no default port; other strings unchanged. */
  public static String canonical(String audience) {
    if (audience == null || !(audience.regionMatches(true, 0, "http://", 0, 7) || audience.regionMatches(true, 0, "https://", 0, 8))) {
      return audience;
    }
    try {
      URI u = new URI(audience);
      if (u.getHost() == null || u.getRawFragment() != null) {
        return audience;
      }
      String scheme = u.getScheme().toLowerCase(Locale.ROOT);
      int port = u.getPort();
      if (("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80)) {
        port = -1;
      }
      String host = u.getHost().toLowerCase(Locale.ROOT);
      StringBuilder out = new StringBuilder(scheme).append("://");
      if (u.getRawUserInfo() != null) {
        return audience; // never canonicalise something this unusual into a match
      }
      out.append(host);
      if (port >= 0) {
        out.append(':').append(port);
      }
      out.append(u.getRawPath() == null ? "" : u.getRawPath());
      if (u.getRawQuery() != null) {
        out.append('?').append(u.getRawQuery());
      }
      return out.toString();
    } catch (URISyntaxException e) {
      return audience;
    }
  }
}
