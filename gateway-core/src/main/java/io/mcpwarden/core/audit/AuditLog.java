package io.mcpwarden.core.audit;

/**
 * The single append-only, ordered sink for audit events.
 *
 * <p>Every component reports through this one interface, so making the store tamper-evident (a
 * hash chain over the sequence) changes one implementation and no caller.
 */
public interface AuditLog extends AutoCloseable {

  /**
   * Appends an event and returns its sequence number (strictly increasing, gap-free).
   *
   * <p>Never throws for I/O trouble: auditing must not take the gateway down, so failures are
   * reported through {@link #failures()}.
   */
  long append(AuditEvent event);

  /** Number of events that could not be written. */
  long failures();

  /** Flushes and stops. */
  @Override
  void close();

  /** A log that keeps nothing, for tools that need no audit. */
  AuditLog NONE =
      new AuditLog() {
        private final java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public long append(AuditEvent event) {
          return seq.incrementAndGet();
        }

        @Override
        public long failures() {
          return 0;
        }

        @Override
        public void close() {}
      };
}
