package io.mcpwarden.core.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes audit events as JSON lines, in sequence order, from one writer thread.
 *
 * <p>Callers only enqueue into a bounded queue, so a slow disk slows the gateway down (back
 * pressure) instead of growing memory; sequence numbers are assigned under the same lock that
 * enqueues, so the file order is the sequence order.
 */
public final class JsonLinesAuditLog implements AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger(JsonLinesAuditLog.class);
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  /** Most events written with one write call. */
  private static final int MAX_BATCH = 256;
  /**
   * When events arrive within this long of the previous write, the writer waits {@link #GATHER_NANOS}
   * before writing, so one wake-up and one write serve several requests.
   */
  private static final long BUSY_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** An event and its sequence number; turned into JSON by the writer, off the request's thread. */
  private record Numbered(long seq, AuditEvent event) {}

  private final BlockingQueue<Numbered> queue;
  private final OutputStream out;
  private final boolean closeOut;
  private final Thread writer;
  private final AtomicLong failures = new AtomicLong();
  private final Object appendLock = new Object();
  private long seq;
  private volatile boolean closed;

  private JsonLinesAuditLog(OutputStream out, boolean closeOut, int capacity) {
    this.out = out;
    this.closeOut = closeOut;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = Thread.ofPlatform().daemon().name("audit-writer").start(this::drain);
  }

  /** Appends to a file, creating it and its directory. */
  public static JsonLinesAuditLog toFile(Path file, int capacity) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    OutputStream os =
        Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    return new JsonLinesAuditLog(os, true, capacity);
  }

  /** Writes to a stream the caller owns (standard error). */
  public static JsonLinesAuditLog toStream(OutputStream os, int capacity) {
    return new JsonLinesAuditLog(os, false, capacity);
  }

  @Override
  public long append(AuditEvent e) {
    synchronized (appendLock) {
      if (closed) {
        failures.incrementAndGet();
        return -1;
      }
      long n = ++seq;
      try {
        queue.put(new Numbered(n, e));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        failures.incrementAndGet();
      }
      return n;
    }
  }

  static ObjectNode toJson(long seq, AuditEvent e) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("seq", seq);
    n.put("time", e.time().toString());
    n.put("type", e.type());
    put(n, "subject", e.subject());
    put(n, "session", e.session());
    put(n, "method", e.method());
    put(n, "server", e.server());
    put(n, "target", e.target());
    put(n, "decision", e.decision());
    n.put("status", e.httpStatus());
    if (e.rpcCode() != 0) {
      n.put("code", e.rpcCode());
    }
    n.put("latency_us", e.latencyMicros());
    put(n, "detail", e.detail());
    return n;
  }

  private static void put(ObjectNode n, String k, String v) {
    if (v != null) {
      n.put(k, v);
    }
  }

  /**
   * Writes what is queued in batches, in order: one write call for everything queued (at most
   * {@link #MAX_BATCH} events) instead of two calls per event.
   *
   * <p>Each time an appending request wakes this thread it pays a futex call, and the wake-up
   * costs two context switches; at thousands of requests a second a batch then rarely holds more
   * than one event. So when an event arrives within {@link #BUSY_NANOS} of the previous write,
   * the writer gathers for {@link #GATHER_NANOS} first (appenders do not wake a thread that is not
   * waiting on the queue). At low rates it writes at once: there a timed pause would cost more
   * system calls than it saves. Events reach the file at most about a millisecond later.
   */
  private void drain() {
    List<Numbered> batch = new ArrayList<>(MAX_BATCH);
    ByteArrayOutputStream lines = new ByteArrayOutputStream(8192);
    long lastWrite = System.nanoTime() - BUSY_NANOS;
    while (true) {
      Numbered next;
      try {
        next = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (next == null) {
        if (closed && queue.isEmpty()) {
          return;
        }
        continue;
      }
      if (System.nanoTime() - lastWrite < BUSY_NANOS && !closed) {
        LockSupport.parkNanos(GATHER_NANOS);
      }
      batch.add(next);
      queue.drainTo(batch, MAX_BATCH - 1);
      lines.reset();
      for (Numbered event : batch) {
        lines.writeBytes(MAPPER.writeValueAsBytes(toJson(event.seq(), event.event())));
        lines.write('\n');
      }
      try {
        lines.writeTo(out);
        out.flush();
      } catch (IOException e) {
        if (failures.getAndAdd(batch.size()) == 0) {
          LOG.error("audit log write failed: {}", e.getMessage());
        }
      }
      batch.clear();
      lastWrite = System.nanoTime();
    }
  }

  @Override
  public long failures() {
    return failures.get();
  }

  @Override
  public void close() {
    synchronized (appendLock) {
      closed = true;
    }
    try {
      writer.join(5000);
      out.flush();
      if (closeOut) {
        out.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.warn("audit log close failed: {}", e.getMessage());
    }
  }
}
