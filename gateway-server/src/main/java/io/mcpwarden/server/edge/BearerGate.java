package io.mcpwarden.server.edge;

import io.mcpwarden.core.auth.AuthException;
import io.mcpwarden.core.auth.BearerChallenge;
import io.mcpwarden.core.auth.Principal;
import io.mcpwarden.core.auth.ResourceServer;
import io.mcpwarden.core.secret.Secret;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The edge's token check: takes the bearer token from exactly one {@code Authorization} header,
 * refuses tokens anywhere else, validates it and checks the global scopes.
 *
 * <p>Every HTTP request passes here (POST of any message, GET streams, DELETE): a session id
 * never stands in for a token.
 */
final class BearerGate {
  private static final String BEARER = "Bearer ";

  private final ResourceServer resource;
  private final int maxHeaderChars;

  BearerGate(ResourceServer resource) {
    this.resource = resource;
    this.maxHeaderChars = resource.config().maxTokenBytes() + BEARER.length() + 16;
  }

  ResourceServer resource() {
    return resource;
  }

  /** Whether the Authorization header is longer than any acceptable token (answered 431). */
  boolean oversize(Request req) {
    for (String v : req.getHeaders().getValuesList(HttpHeader.AUTHORIZATION)) {
      if (v.length() > maxHeaderChars) {
        return true;
      }
    }
    return false;
  }

  /**
   * The authenticated principal of a request.
   *
   * @throws AuthException what to answer: 400 (malformed), 401 (no or bad token), 503 (token
   *     could not be checked now)
   */
  Principal authenticate(Request req) throws AuthException {
    if (tokenInQuery(req.getHttpURI().getQuery())) {
      throw AuthException.invalidRequest("access tokens are accepted only in the Authorization header, never in the URL");
    }
    List<String> values = req.getHeaders().getValuesList(HttpHeader.AUTHORIZATION);
    if (values.isEmpty()) {
      throw new AuthException(AuthException.Error.MISSING_TOKEN, "an access token is required");
    }
    if (values.size() > 1) {
      throw AuthException.invalidRequest("more than one Authorization header");
    }
    String header = values.getFirst().strip();
    if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw AuthException.invalidRequest("the Authorization scheme must be Bearer");
    }
    String token = header.substring(BEARER.length()).strip();
    if (token.isEmpty()) {
      throw AuthException.invalidRequest("empty bearer token");
    }
    return resource.authenticator().authenticate(token);
  }

  /**
   * The bearer token of a request that {@link #authenticate} accepted, as a {@link Secret} so it
   * never reaches a log; used only for RFC 8693 exchange toward upstreams.
   */
  static Secret bearerToken(Request req) {
    String header = req.getHeaders().get(HttpHeader.AUTHORIZATION);
    return header == null ? null : Secret.of(header.strip().substring(BEARER.length()).strip());
  }

  /** Refuses (403) a principal that lacks one of the scopes every request needs. */
  void checkGlobalScopes(Principal p) throws AuthException {
    Set<String> global = resource.scopes().global();
    if (!p.hasScopes(global)) {
      throw AuthException.insufficientScope("this gateway needs scope " + String.join(" ", global), global);
    }
  }

  /** The {@code WWW-Authenticate} value for a refusal, or null when none belongs (503). */
  String challenge(AuthException e) {
    if (e.error() == AuthException.Error.TEMPORARILY_UNAVAILABLE) {
      return null;
    }
    return BearerChallenge.format(resource.metadata().url(), resource.challengeScopes(), e);
  }

  static boolean tokenInQuery(String query) {
    if (query == null || query.isEmpty()) {
      return false;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      try {
        if (URLDecoder.decode(name, StandardCharsets.UTF_8).strip().equalsIgnoreCase("access_token")) {
          return true;
        }
      } catch (IllegalArgumentException e) {
        return true; // unparseable query: refuse rather than guess
      }
    }
    return false;
  }
}
