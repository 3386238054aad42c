package io.mcpwarden.core.guard;

import java.io.OutputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.NumericNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Replaces an upstream response larger than the configured number of bytes (serialized JSON) with
 * a {@code -32003} error naming the limit.
 *
 * <p>An oversize result would flood the model's context and the client's memory; it is measured
 * right after the call, before any content guard spends time scanning it, and counting stops at
 * the limit so a huge result is never serialized whole.
 */
public final class ResultSizeGuard implements Guard {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final long maxBytes;

  public ResultSizeGuard(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public Outcome intercept(Exchange exchange, Chain next) {
    Outcome outcome = next.proceed(exchange);
    if (outcome instanceof Outcome.Forward f && f.upstreamResponse() != null && exceeds(f.upstreamResponse(), maxBytes)) {
      String what = exchange.target() != null ? exchange.target() : exchange.request().method();
      String from = exchange.server() != null ? " from server " + exchange.server() : "";
      return new Outcome.Limited("max-result-bytes", "Result of " + what + from + " exceeds the limit of " + maxBytes
          + " bytes and was withheld; ask for less (a narrower query, fewer items, a smaller page)", 0);
    }
    return outcome;
  }

  /**
   * Whether the serialized message is longer than {@code max} bytes. A walk over the tree first
   * bounds its size from above without encoding anything (almost every result is far under the
   * limit, and serializing it just to count was 3 % of the gateway's CPU per call); only a message
   * whose bound passes the limit is serialized, and that stops once it is over.
   */
  static boolean exceeds(ObjectNode message, long max) {
    if (upperBound(message, max) <= max) {
      return false;
    }
    Counter counter = new Counter(max);
    try {
      JSON.writeValue(counter, message);
    } catch (RuntimeException e) { // Oversize, possibly wrapped by Jackson
      if (!counter.over()) {
        throw e;
      }
    }
    return counter.over();
  }

  /**
   * At least the number of bytes {@code node} takes as compact JSON, or a figure over {@code max}
   * once the running total passes it (the walk stops there). Strings and names count six bytes a
   * character (the longest escape, {@code \\uXXXX}; a UTF-8 character never takes more than three
   * bytes per UTF-16 unit), numbers their longest plain form, containers their brackets and one
   * separator per member.
   */
  static long upperBound(JsonNode node, long max) {
    return switch (node) {
      case ObjectNode o -> {
        long n = 2;
        for (var e : o.properties()) {
          n += 6L * e.getKey().length() + 4 + upperBound(e.getValue(), max);
          if (n > max) {
            yield n;
          }
        }
        yield n;
      }
      case ArrayNode a -> {
        long n = 2;
        for (JsonNode v : a) {
          n += 1 + upperBound(v, max);
          if (n > max) {
            yield n;
          }
        }
        yield n;
      }
      case StringNode t -> 2 + 6L * t.stringValue().length();
      case NumericNode num -> num.isIntegralNumber() && num.canConvertToLong() ? 20 : 2 + num.asString().length() * 2L;
      default -> node.isValueNode() ? 5 + (node.isBinary() ? 2 + 2L * node.binaryValue().length : 0) : max + 1;
    };
  }

  /** Counts bytes and fails the write as soon as they pass the limit. */
  private static final class Counter extends OutputStream {
    private final long max;
    private long count;

    Counter(long max) {
      this.max = max;
    }

    boolean over() {
      return count > max;
    }

    @Override
    public void write(int b) {
      add(1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      add(len);
    }

    private void add(long n) {
      count += n;
      if (count > max) {
        throw new Oversize();
      }
    }
  }

  private static final class Oversize extends RuntimeException {
    Oversize() {
      super("over the limit", null, false, false);
    }
  }
}
