package io.mcpwarden.server.edge;

import io.mcpwarden.core.audit.AuditEvent;
import io.mcpwarden.core.audit.AuditLog;
import io.mcpwarden.core.auth.Principal;
import io.mcpwarden.core.config.ListenConfig;
import io.mcpwarden.core.session.FrontSession;
import io.mcpwarden.core.session.SessionStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small loopback-only endpoint to list and revoke front sessions: {@code GET /admin/sessions},
 * {@code DELETE /admin/sessions?user=U} and {@code DELETE /admin/sessions?session=S}.
 *
 * <p>It exists so {@code mcp-warden sessions revoke} can end a user's sessions at once (a stolen
 * laptop, a leaked token). It answers only connections from a loopback address that carry the
 * admin token (compared in constant time) and no Origin header, so neither a remote host nor a
 * web page can reach it; a full admin API is a separate component.
 */
public final class SessionAdminHandler extends Handler.Abstract {
  /** The endpoint's path. */
  public static final String PATH = "/admin/sessions";

  private final SessionStore sessions;
  private final AuditLog audit;
  private final Clock clock;
  private final OriginPolicy origins;
  private final AdminToken token;

  /** @param adminToken the token callers must present as {@code Authorization: Bearer} */
  public SessionAdminHandler(ListenConfig listen, SessionStore sessions, AuditLog audit, Clock clock, String adminToken) {
    this.sessions = sessions;
    this.audit = audit;
    this.clock = clock;
    this.origins = new OriginPolicy(listen);
    this.token = new AdminToken(adminToken); // checks its length first
  }

  /** Returns the token when it is long enough to resist guessing; throws otherwise. */
  public static String checkToken(String adminToken) {
    if (adminToken == null || adminToken.length() < 16) {
      throw new IllegalArgumentException("the session admin token must be at least 16 characters");
    }
    return adminToken;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!PATH.equals(Request.getPathInContext(request))) {
      return false;
    }
    if (!loopback(Request.getRemoteAddr(request)) || !origins.hostAllowed(request.getHeaders().get(HttpHeader.HOST))
        || request.getHeaders().get(HttpHeader.ORIGIN) != null) {
      return write(response, callback, 403, error("forbidden: loopback clients without Origin only"));
    }
    if (!token.matches(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
      audit("admin.reject", null, "bad or missing admin token");
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"mcp-warden-admin\"");
      return write(response, callback, 401, error("admin token required"));
    }
    Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    return switch (request.getMethod()) {
      case "GET" -> write(response, callback, 200, list());
      case "DELETE" -> revoke(response, callback, query.getValue("user"), query.getValue("session"));
      default -> {
        response.getHeaders().put(HttpHeader.ALLOW, "GET, DELETE");
        yield write(response, callback, 405, error("method not allowed"));
      }
    };
  }

  private boolean revoke(Response response, Callback callback, String user, String session) {
    if ((user == null) == (session == null)) {
      return write(response, callback, 400, error("give exactly one of user=... or session=..."));
    }
    int n;
    if (user != null) {
      // A user is named by subject (all issuers) or by the full owner "subject [issuer]".
      List<FrontSession> ended = sessions.all().stream()
          .filter(s -> s.subject().equals(user) || Principal.subjectOf(s.subject()).equals(user)).toList();
      n = sessions.revokeSubject(owner -> owner.equals(user) || Principal.subjectOf(owner).equals(user));
      for (FrontSession s : ended) {
        audit("session.revoke", s, "revoked by admin: user " + user);
      }
    } else {
      FrontSession s = sessions.all().stream().filter(x -> x.id().equals(session)).findFirst().orElse(null);
      n = sessions.revokeSession(session) ? 1 : 0;
      if (s != null && n == 1) {
        audit("session.revoke", s, "revoked by admin");
      }
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode().put("revoked", n);
    return write(response, callback, 200, o.toString());
  }

  private String list() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ArrayNode arr = o.putArray("sessions");
    for (FrontSession s : sessions.all()) {
      arr.addObject().put("id", s.id()).put("owner", s.subject()).put("subject", Principal.subjectOf(s.subject()))
          .put("created", s.createdAt().toString()).put("lastAccess", s.lastAccess().toString());
    }
    return o.toString();
  }

  private void audit(String type, FrontSession s, String detail) {
    audit.append(new AuditEvent(clock.instant(), type, s == null ? "admin" : s.subject(), s == null ? null : s.id(),
        null, null, null, type.equals("admin.reject") ? "deny" : "allow", type.equals("admin.reject") ? 401 : 200, 0, 0, detail));
  }

  static boolean loopback(String address) {
    if (address == null) {
      return false;
    }
    try {
      String a = address.startsWith("[") ? address.substring(1, address.length() - 1) : address;
      return (a.matches("^[0-9.]+$") || a.contains(":")) && InetAddress.getByName(a).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String error(String message) {
    return JsonNodeFactory.instance.objectNode().put("error", message).toString();
  }

  private static boolean write(Response response, Callback callback, int status, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
