package io.mcpwarden.core.guard;

import java.io.OutputStream;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

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

  /** Whether the serialized message is longer than {@code max} bytes; stops writing once it is. */
  static boolean exceeds(ObjectNode message, long max) {
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
