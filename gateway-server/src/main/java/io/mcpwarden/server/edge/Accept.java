package io.mcpwarden.server.edge;

import java.util.Locale;

/**
 * What a client's Accept header allows: a JSON body, an SSE stream, or both.
 *
 * <p>Lenient on purpose (a missing header or a wildcard accepts both), so the gateway is not
 * stricter than the SDKs; only a header that rules out both is refused.
 *
 * @param json application/json acceptable
 * @param sse text/event-stream acceptable
 * @param sseExplicit text/event-stream named explicitly (what a GET stream requires)
 * @param prefersSse text/event-stream listed before application/json: the client's own order is
 *     the tie-break between two acceptable answers
 */
record Accept(boolean json, boolean sse, boolean sseExplicit, boolean prefersSse) {

  static Accept parse(String header) {
    if (header == null || header.isBlank()) {
      return new Accept(true, true, false, false);
    }
    boolean json = false;
    boolean sse = false;
    boolean explicit = false;
    boolean sseFirst = false;
    for (String part : header.toLowerCase(Locale.ROOT).split(",")) {
      String type = part.split(";", 2)[0].trim();
      switch (type) {
        case "application/json", "application/*" -> json = true;
        case "text/event-stream" -> {
          sseFirst |= !json;
          sse = true;
          explicit = true;
        }
        case "text/*" -> sse = true;
        case "*/*" -> {
          json = true;
          sse = true;
        }
        default -> {
          // other types do not help
        }
      }
    }
    return new Accept(json, sse, explicit || (sse && json && header.contains("*/*")), sseFirst && json);
  }
}
