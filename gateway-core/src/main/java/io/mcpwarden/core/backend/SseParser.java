package io.mcpwarden.core.backend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a {@code text/event-stream} body into events, following the WHATWG server-sent events
 * parsing rules.
 *
 * <p>Lines end in CRLF, LF or CR; {@code data} lines are joined with LF; {@code id} and {@code
 * retry} are remembered for reconnection; comments and unknown fields are ignored; an event cut
 * off by the end of the stream is discarded. Every line and every event is capped, so an upstream
 * that streams an endless line or event costs a bounded amount of memory.
 */
final class SseParser {
  /** Default cap on one event's data, and on one line. */
  static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

  /** Largest reconnection delay accepted from a {@code retry} field. */
  static final long MAX_RETRY_MILLIS = 300_000;

  /**
   * One dispatched event.
   *
   * @param id the last event id in effect when it was dispatched; empty when none
   * @param type the event type, {@code message} when the stream named none
   * @param data the data lines joined with LF
   */
  record Event(String id, String type, String data) {}

  /** An upstream sent a line or an event larger than the cap. */
  static final class OversizeException extends IOException {
    private static final long serialVersionUID = 1L;

    OversizeException(int max) {
      super("server-sent event larger than " + max + " bytes");
    }
  }

  private final InputStream in;
  private final int maxEventBytes;
  private final byte[] buf = new byte[8192];
  private int pos;
  private int len;
  private boolean atStart = true;
  private boolean pendingLf;

  private byte[] line = new byte[256];
  private int lineLen;

  private final StringBuilder data = new StringBuilder();
  private long dataBytes;
  private String eventType = "";
  private String idBuffer = "";
  private String lastEventId = "";
  private long retryMillis = -1;

  SseParser(InputStream in) {
    this(in, MAX_EVENT_BYTES);
  }

  SseParser(InputStream in, int maxEventBytes) {
    this.in = in;
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * The next event, or null at the end of the stream.
   *
   * @throws OversizeException when a line or an event exceeds the cap
   */
  Event next() throws IOException {
    while (readLine()) {
      if (lineLen == 0) {
        Event e = dispatch();
        if (e != null) {
          return e;
        }
        continue;
      }
      if (line[0] == ':') {
        continue; // comment, often a keep-alive
      }
      String text = new String(line, 0, lineLen, StandardCharsets.UTF_8);
      int colon = text.indexOf(':');
      String field = colon < 0 ? text : text.substring(0, colon);
      String value = colon < 0 ? "" : text.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "event" -> eventType = value;
        case "data" -> {
          dataBytes += lineLen + 1L;
          if (dataBytes > maxEventBytes + 1L) {
            throw new OversizeException(maxEventBytes);
          }
          data.append(value).append('\n');
        }
        case "id" -> {
          if (value.indexOf('\u0000') < 0) {
            idBuffer = value;
          }
        }
        case "retry" -> retry(value);
        default -> {
          // Unknown fields are ignored, as the SSE rules ask.
        }
      }
    }
    return null;
  }

  /** The id of the last dispatched event (or priming event); empty when none was seen. */
  String lastEventId() {
    return lastEventId;
  }

  /** The reconnection delay the server asked for with {@code retry}, or -1 when it did not. */
  long retryMillis() {
    return retryMillis;
  }

  private void retry(String value) {
    if (value.isEmpty() || value.length() > 18) {
      if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
        retryMillis = MAX_RETRY_MILLIS;
      }
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return;
      }
    }
    retryMillis = Math.min(Long.parseLong(value), MAX_RETRY_MILLIS);
  }

  private Event dispatch() {
    // The last event id is set on every blank line, even when no event is dispatched: a server
    // primes resumption with an id and empty data.
    lastEventId = idBuffer;
    if (data.isEmpty()) {
      eventType = "";
      return null;
    }
    data.setLength(data.length() - 1);
    Event e = new Event(lastEventId, eventType.isEmpty() ? "message" : eventType, data.toString());
    data.setLength(0);
    dataBytes = 0;
    eventType = "";
    return e;
  }

  /** Reads the next line into {@link #line}; false at the end of the stream. */
  private boolean readLine() throws IOException {
    lineLen = 0;
    while (true) {
      if (pos == len && !fill()) {
        return false; // a line cut off by the end of the stream belongs to a discarded event
      }
      if (pendingLf) {
        pendingLf = false;
        if (buf[pos] == '\n') {
          pos++;
          continue;
        }
      }
      int start = pos;
      while (pos < len && buf[pos] != '\n' && buf[pos] != '\r') {
        pos++;
      }
      append(start, pos - start);
      if (pos < len) {
        if (buf[pos] == '\r') {
          pendingLf = true;
        }
        pos++;
        if (atStart) {
          atStart = false;
          stripByteOrderMark();
        }
        return true;
      }
    }
  }

  private boolean fill() throws IOException {
    int n = in.read(buf);
    if (n <= 0) {
      return false;
    }
    pos = 0;
    len = n;
    return true;
  }

  private void stripByteOrderMark() {
    if (lineLen >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB && (line[2] & 0xff) == 0xBF) {
      System.arraycopy(line, 3, line, 0, lineLen - 3);
      lineLen -= 3;
    }
  }

  private void append(int start, int count) throws OversizeException {
    if (count == 0) {
      return;
    }
    if ((long) lineLen + count > maxEventBytes) {
      throw new OversizeException(maxEventBytes);
    }
    if (lineLen + count > line.length) {
      line = Arrays.copyOf(line, (int) Math.min(Math.max(line.length * 2L, lineLen + (long) count), maxEventBytes));
    }
    System.arraycopy(buf, start, line, lineLen, count);
    lineLen += count;
  }
}
