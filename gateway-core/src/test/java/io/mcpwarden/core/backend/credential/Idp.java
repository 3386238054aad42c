package io.mcpwarden.core.backend.credential;

import io.mcpwarden.core.config.UpstreamAuthConfig;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import okhttp3.mockwebserver.RecordedRequest;

/** An embedded mock-oauth2-server with helpers to read the token requests it received. */
final class Idp implements AutoCloseable {
  static final String ISSUER = "corp";
  static final String CLIENT_ID = "warden";
  static final String CLIENT_SECRET = "warden-client-secret";

  final MockOAuth2Server server = new MockOAuth2Server();

  Idp() {
    server.start();
  }

  URI tokenEndpoint() {
    return server.tokenEndpointUrl(ISSUER).uri();
  }

  UpstreamAuthConfig.TokenEndpoint endpoint(UpstreamAuthConfig.ClientAuthMethod method) {
    return new UpstreamAuthConfig.TokenEndpoint(tokenEndpoint(), CLIENT_ID, "idp-client-secret", method, Duration.ofSeconds(5));
  }

  /** A token request received, as form parameters plus its Authorization header. */
  record TokenCall(Map<String, List<String>> form, String authorization) {
    String param(String name) {
      List<String> v = form.get(name);
      return v == null ? null : v.getFirst();
    }
  }

  /** The next request the server received, or null within a short wait. */
  TokenCall next() {
    RecordedRequest r = take(2_000);
    return r == null ? null : new TokenCall(form(r.getBody().readUtf8()), r.getHeader("Authorization"));
  }

  /** The next recorded request, or null (the server throws rather than return null on timeout). */
  private RecordedRequest take(long millis) {
    try {
      return server.takeRequest(millis, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).startsWith("no request found")) {
        return null;
      }
      throw e;
    }
  }

  /** Requests received so far without waiting. */
  List<TokenCall> drain() {
    List<TokenCall> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = take(50)) != null) {
      out.add(new TokenCall(form(r.getBody().readUtf8()), r.getHeader("Authorization")));
    }
    return out;
  }

  static Map<String, List<String>> form(String body) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
