package io.mcpwarden.server.edge;

import io.mcpwarden.core.audit.AuditEvent;
import io.mcpwarden.core.audit.AuditLog;
import io.mcpwarden.core.config.ListenConfig;
import io.mcpwarden.core.integrity.ItemKind;
import io.mcpwarden.core.integrity.PinApprovals;
import io.mcpwarden.core.integrity.PinKey;
import io.mcpwarden.core.integrity.PinRecord;
import io.mcpwarden.core.integrity.PinState;
import io.mcpwarden.core.integrity.ToolIntegrity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.NoSuchElementException;
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
 * The tool-integrity admin API: the operations of {@code mcp-warden tools} against the running
 * gateway, applied at once (no wait for the store's revision check).
 *
 * <pre>
 *   GET  /admin/tools[?state=pending|quarantined|approved|rejected]   records as JSON
 *   GET  /admin/tools/pending                                         pending and quarantined
 *   GET  /admin/tools/diff?server=S&amp;name=N[&amp;kind=tool]        unified diff (text/plain)
 *   POST /admin/tools/approve?server=S&amp;name=N[&amp;kind=K]&amp;by=WHO[&amp;reason=R]
 *   POST /admin/tools/reject?server=S&amp;name=N[&amp;kind=K]&amp;by=WHO[&amp;reason=R]
 * </pre>
 *
 * <p>Same protection as {@link SessionAdminHandler}: loopback clients without an Origin header
 * carrying the admin token ({@code sessions.admin-token}), compared in constant time; every call,
 * refused ones included, is audited. The decision is recorded as made by {@code admin-api:WHO}.
 */
public final class ToolAdminHandler extends Handler.Abstract {
  /** The API's path prefix. */
  public static final String PATH = "/admin/tools";

  private final ToolIntegrity integrity;
  private final AuditLog audit;
  private final Clock clock;
  private final OriginPolicy origins;
  private final AdminToken token;

  public ToolAdminHandler(ListenConfig listen, ToolIntegrity integrity, AuditLog audit, Clock clock, String adminToken) {
    this.integrity = integrity;
    this.audit = audit;
    this.clock = clock;
    this.origins = new OriginPolicy(listen);
    this.token = new AdminToken(adminToken); // checks its length first
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.equals(PATH) && !path.startsWith(PATH + "/")) {
      return false;
    }
    String op = path.equals(PATH) ? "list" : path.substring(PATH.length() + 1);
    if (!SessionAdminHandler.loopback(Request.getRemoteAddr(request)) || !origins.hostAllowed(request.getHeaders().get(HttpHeader.HOST))
        || request.getHeaders().get(HttpHeader.ORIGIN) != null) {
      audit("admin.reject", "deny", 403, op, null, "not a loopback client without Origin");
      return write(response, callback, 403, "application/json", error("forbidden: loopback clients without Origin only"));
    }
    if (!token.matches(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
      audit("admin.reject", "deny", 401, op, null, "bad or missing admin token");
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"mcp-warden-admin\"");
      return write(response, callback, 401, "application/json", error("admin token required"));
    }
    Fields q = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    String method = request.getMethod();
    boolean read = op.equals("list") || op.equals("pending") || op.equals("diff");
    boolean write = op.equals("approve") || op.equals("reject");
    if (!read && !write) {
      return write(response, callback, 404, "application/json", error("unknown operation: " + op));
    }
    if (read != method.equals("GET") || write != method.equals("POST")) {
      response.getHeaders().put(HttpHeader.ALLOW, read ? "GET" : "POST");
      return write(response, callback, 405, "application/json", error("method not allowed"));
    }
    PinApprovals approvals = new PinApprovals(integrity.store(), clock);
    try {
      return switch (op) {
        case "list" -> {
          String s = q.getValue("state");
          PinState state = s == null ? null : PinState.parse(s);
          if (s != null && state == null) {
            yield write(response, callback, 400, "application/json", error("state must be approved, pending, quarantined or rejected"));
          }
          audit("admin.tools", "allow", 200, op, null, "list" + (s == null ? "" : " state=" + s));
          yield write(response, callback, 200, "application/json", items(approvals.list(state)));
        }
        case "pending" -> {
          audit("admin.tools", "allow", 200, op, null, "pending");
          yield write(response, callback, 200, "application/json", items(approvals.waiting()));
        }
        case "diff" -> {
          PinKey key = key(q);
          String diff = approvals.diff(key);
          audit("admin.tools", "allow", 200, op, key, "diff");
          yield write(response, callback, 200, "text/plain; charset=utf-8", diff);
        }
        default -> {
          PinKey key = key(q);
          String by = q.getValue("by");
          if (by == null || by.isBlank()) {
            yield write(response, callback, 400, "application/json", error("give by=WHO: every decision records who made it"));
          }
          PinRecord r = integrity.decide(key, op.equals("approve"), "admin-api:" + by.strip(), q.getValue("reason"));
          audit("admin.tools", "allow", 200, op, key, op + " by admin-api:" + by.strip() + " -> " + r.state().label());
          yield write(response, callback, 200, "application/json", json(r).toString());
        }
      };
    } catch (IllegalArgumentException e) {
      audit("admin.tools", "deny", 400, op, null, e.getMessage());
      return write(response, callback, 400, "application/json", error(e.getMessage()));
    } catch (NoSuchElementException e) {
      audit("admin.tools", "deny", 404, op, null, e.getMessage());
      return write(response, callback, 404, "application/json", error(e.getMessage()));
    }
  }

  private static PinKey key(Fields q) {
    String server = q.getValue("server");
    String name = q.getValue("name");
    String k = q.getValue("kind");
    ItemKind kind = k == null ? ItemKind.TOOL : ItemKind.parse(k);
    if (server == null || name == null || kind == null) {
      throw new IllegalArgumentException("give server=S and name=N (and kind=tool|prompt|resource-template)");
    }
    return new PinKey(server, kind, name);
  }

  /** One record as JSON: what the CLI prints with --json, too. */
  public static ObjectNode json(PinRecord r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("server", r.key().server()).put("kind", r.key().kind().label()).put("name", r.key().name())
        .put("state", r.state().label()).put("fingerprint", r.fingerprint()).put("pinnedFingerprint", r.pinnedFingerprint())
        .put("firstSeen", r.firstSeen().toString()).put("decidedBy", r.decidedBy()).put("decidedAt", r.decidedAt().toString())
        .put("reason", r.reason());
    return o;
  }

  private static String items(List<PinRecord> records) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ArrayNode arr = o.putArray("items");
    for (PinRecord r : records) {
      arr.add(json(r));
    }
    return o.toString();
  }

  private void audit(String type, String decision, int status, String op, PinKey key, String detail) {
    audit.append(new AuditEvent(clock.instant(), type, "admin", null, "admin/tools/" + op, key == null ? null : key.server(),
        key == null ? null : key.kind().label() + ":" + key.name(), decision, status, 0, 0, detail));
  }

  private static String error(String message) {
    return JsonNodeFactory.instance.objectNode().put("error", message).toString();
  }

  private static boolean write(Response response, Callback callback, int status, String type, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
