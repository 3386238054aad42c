package io.mcpwarden.core.auth;

import java.net.URI;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's OAuth protected resource metadata (RFC 9728): which resource it is and which
 * authorization servers issue tokens for it.
 *
 * <p>Clients find it through the {@code resource_metadata} parameter of a 401 challenge or at the
 * well-known location, and compare {@code resource} byte for byte with the URL they use, so it is
 * always the canonical resource URI.
 *
 * @param resource the canonical resource URI
 * @param authorizationServers issuer identifiers of the trusted authorization servers
 * @param scopesSupported the baseline scopes a client should ask for
 */
public record ProtectedResourceMetadata(URI resource, List<String> authorizationServers, List<String> scopesSupported) {
  /** The well-known path prefix of RFC 9728 §3. */
  public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

  public ProtectedResourceMetadata {
    authorizationServers = List.copyOf(authorizationServers);
    scopesSupported = List.copyOf(scopesSupported);
  }

  /** The document as JSON. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("resource", resource.toString());
    ArrayNode as = o.putArray("authorization_servers");
    authorizationServers.forEach(as::add);
    if (!scopesSupported.isEmpty()) {
      ArrayNode sc = o.putArray("scopes_supported");
      scopesSupported.forEach(sc::add);
    }
    o.putArray("bearer_methods_supported").add("header");
    o.put("resource_name", "MCP Warden");
    return o;
  }

  /** The path of this document on the resource's host: the well-known prefix plus the resource path. */
  public String path() {
    return WELL_KNOWN + suffix(resource);
  }

  /** The absolute URL of this document, as announced in {@code resource_metadata}. */
  public URI url() {
    return URI.create(resource.getScheme() + "://" + resource.getRawAuthority() + path());
  }

  private static String suffix(URI resource) {
    String p = resource.getRawPath();
    return p == null || p.isEmpty() || p.equals("/") ? "" : p;
  }
}
