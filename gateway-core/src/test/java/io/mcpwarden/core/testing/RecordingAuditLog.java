package io.mcpwarden.core.testing;

import io.mcpwarden.core.audit.AuditEvent;
import io.mcpwarden.core.audit.AuditLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An audit log that keeps every event in memory, in order, for tests to assert on what a
 * component audited. Thread-safe: guards may audit from several threads at once.
 */
public final class RecordingAuditLog implements AuditLog {
  private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

  /** The events appended so far, live (later appends show in it). */
  public List<AuditEvent> events() {
    return events;
  }

  @Override
  public long append(AuditEvent event) {
    events.add(event);
    return events.size();
  }

  @Override
  public long failures() {
    return 0;
  }

  @Override
  public void close() {}
}
