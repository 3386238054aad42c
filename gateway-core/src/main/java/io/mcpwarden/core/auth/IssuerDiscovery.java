package io.mcpwarden.core.auth;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds an authorization server's key set location from its metadata (OIDC Discovery or RFC 8414).
 *
 * <p>The metadata's {@code issuer} must equal the configured issuer exactly (RFC 8414 §3.3), so a
 * misconfigured or impersonated metadata document cannot redirect the gateway to foreign keys.
 */
final class IssuerDiscovery {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private IssuerDiscovery() {}

  /** The metadata locations to try, in order: the configured one, else the well-known ones. */
  static List<URI> candidates(String issuer, URI discovery) {
    if (discovery != null) {
      return List.of(discovery);
    }
    URI iss = URI.create(issuer);
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    String path = iss.getRawPath() == null || iss.getRawPath().equals("/") ? "" : iss.getRawPath();
    String origin = iss.getScheme() + "://" + iss.getRawAuthority();
    Set<URI> out = new LinkedHashSet<>();
    out.add(URI.create(base + "/.well-known/openid-configuration"));
    out.add(URI.create(origin + "/.well-known/oauth-authorization-server" + path));
    out.add(URI.create(origin + "/.well-known/openid-configuration" + path));
    return List.copyOf(out);
  }

  /** The {@code jwks_uri} of the issuer's metadata. */
  static URI jwksUri(String issuer, URI discovery, DocumentFetcher fetcher) throws IOException {
    List<String> problems = new ArrayList<>();
    for (URI candidate : candidates(issuer, discovery)) {
      String body;
      try {
        body = fetcher.get(candidate);
      } catch (IOException e) {
        problems.add(e.getMessage());
        continue;
      }
      JsonNode doc;
      try {
        doc = JSON.readTree(body);
      } catch (JacksonException e) {
        problems.add(candidate + ": not JSON");
        continue;
      }
      String docIssuer = doc.path("issuer").asString(null);
      if (!issuer.equals(docIssuer)) {
        // Not the document of this issuer: never take keys from it.
        problems.add(candidate + ": issuer is '" + docIssuer + "', expected '" + issuer + "'");
        continue;
      }
      String jwks = doc.path("jwks_uri").asString(null);
      if (jwks == null) {
        problems.add(candidate + ": no jwks_uri");
        continue;
      }
      URI uri;
      try {
        uri = URI.create(jwks);
      } catch (IllegalArgumentException e) {
        problems.add(candidate + ": jwks_uri is not a URI");
        continue;
      }
      if (!("https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && "http".equals(URI.create(issuer).getScheme())))
          || uri.getHost() == null) {
        problems.add(candidate + ": jwks_uri must be an absolute https URL");
        continue;
      }
      return uri;
    }
    throw new IOException("no usable metadata for issuer " + issuer + ": " + String.join("; ", problems));
  }
}
