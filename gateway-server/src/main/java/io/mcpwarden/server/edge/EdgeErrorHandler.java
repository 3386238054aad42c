package io.mcpwarden.server.edge;

import io.mcpwarden.core.audit.AuditEvent;
import io.mcpwarden.core.audit.AuditLog;
import io.mcpwarden.core.message.JsonRpc;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty produces itself (oversize headers, malformed HTTP, unknown paths) with
 * a JSON-RPC error body and records each in the audit log.
 *
 * <p>These requests never reach the MCP endpoint, so without this hook they would be refused
 * silently and with an HTML page no MCP client can read.
 */
public final class EdgeErrorHandler extends ErrorHandler {
  private final AuditLog audit;
  private final Clock clock;

  public EdgeErrorHandler(AuditLog audit, Clock clock) {
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    record(status, "bad http message", reason, null);
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
    return ByteBuffer.wrap(body(reason == null ? "Bad request" : reason));
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Object s = request.getAttribute(ERROR_STATUS);
    int status = s instanceof Integer i ? i : response.getStatus();
    Object m = request.getAttribute(ERROR_MESSAGE);
    String message = m == null ? "HTTP " + status : m.toString();
    record(status, "http error", message, request.getMethod());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(body(message)), callback);
    return true;
  }

  private void record(int status, String kind, String message, String method) {
    audit.append(new AuditEvent(clock.instant(), "http.reject", "anonymous", null, method, null, null, "deny",
        status, JsonRpc.INVALID_REQUEST, 0, kind + ": " + message));
  }

  private static byte[] body(String message) {
    String json = JsonRpc.error(null, JsonRpc.INVALID_REQUEST, message).toString();
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
