package io.mcpwarden.server.edge;

import io.mcpwarden.core.auth.DevIssuer;
import io.mcpwarden.core.auth.ProtectedResourceMetadata;
import io.mcpwarden.core.auth.ResourceServer;
import io.mcpwarden.core.config.ListenConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the public discovery documents: the protected resource metadata (RFC 9728) at the root
 * well-known path and at the path-suffixed one for the MCP endpoint, and, when it is on, the
 * development issuer's metadata and key set.
 *
 * <p>They are public by design (clients need them before they have a token), so they are served
 * to any Origin; the Host check still applies.
 */
public final class WellKnownHandler extends Handler.Abstract {
  private final OriginPolicy origins;
  private final Map<String, Supplier<String>> documents = new HashMap<>();

  public WellKnownHandler(ListenConfig listen, ResourceServer resource) {
    this.origins = new OriginPolicy(listen);
    ProtectedResourceMetadata prm = resource.metadata();
    Supplier<String> prmJson = () -> prm.toJson().toString();
    documents.put(ProtectedResourceMetadata.WELL_KNOWN, prmJson);
    documents.put(prm.path(), prmJson);
    documents.put(ProtectedResourceMetadata.WELL_KNOWN + listen.path(), prmJson);
    DevIssuer dev = resource.devIssuer();
    if (dev != null) {
      Supplier<String> meta = () -> dev.metadata().toString();
      documents.put(DevIssuer.PATH + "/.well-known/openid-configuration", meta);
      documents.put("/.well-known/oauth-authorization-server" + DevIssuer.PATH, meta);
      documents.put("/.well-known/openid-configuration" + DevIssuer.PATH, meta);
      documents.put(DevIssuer.JWKS_PATH, () -> dev.publicKeys().toString());
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Supplier<String> doc = documents.get(Request.getPathInContext(request));
    if (doc == null) {
      return false;
    }
    if (!origins.hostAllowed(request.getHeaders().get(HttpHeader.HOST))) {
      return write(response, callback, 403, "{\"error\":\"host not allowed\"}");
    }
    String method = request.getMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      return write(response, callback, 405, "{\"error\":\"method not allowed\"}");
    }
    response.getHeaders().put("Access-Control-Allow-Origin", "*");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=300");
    return write(response, callback, 200, method.equals("HEAD") ? "" : doc.get());
  }

  private static boolean write(Response response, Callback callback, int status, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
