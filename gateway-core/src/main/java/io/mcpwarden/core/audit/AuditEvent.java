package io.mcpwarden.core.audit;

import java.time.Instant;

/**
 * One audited fact: a request and its outcome, or an edge refusal.
 *
 * <p>Flat and string-typed on purpose so every sink (file, SIEM, database) can store it without a
 * schema of its own; the audit log assigns the sequence number, which orders events.
 *
 * @param time when the outcome was decided
 * @param type event type, for example {@code mcp.request}, {@code http.reject}, {@code session.end}
 * @param subject who (token subject, or {@code anonymous})
 * @param session front session id, or null
 * @param method JSON-RPC method, or null
 * @param server upstream server name, or null
 * @param target tool, prompt or resource addressed, or null
 * @param decision {@code allow}, {@code deny} or {@code error}
 * @param httpStatus HTTP status returned
 * @param rpcCode JSON-RPC error code, or 0
 * @param latencyMicros time from receipt to outcome
 * @param detail free text reason; never holds secrets
 */
public record AuditEvent(
    Instant time,
    String type,
    String subject,
    String session,
    String method,
    String server,
    String target,
    String decision,
    int httpStatus,
    int rpcCode,
    long latencyMicros,
    String detail) {}
