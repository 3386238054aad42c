package io.mcpwarden.core.integrity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable storage of pinned tool, prompt and resource-template definitions and of every decision
 * about them.
 *
 * <p>An interface so the embedded SQLite default can be replaced by a shared database (PostgreSQL)
 * for a cluster without touching the integrity logic. Implementations are thread-safe; several
 * processes (the gateway and the {@code tools} CLI) may use one store at once.
 */
public interface ToolPinStore extends AutoCloseable {

  /** Every record, ordered by server, kind and name. */
  List<PinRecord> all();

  Optional<PinRecord> find(PinKey key);

  /** Writes the record (insert or replace) and, when not null, appends the decision, atomically. */
  void save(PinRecord record, PinDecision decision);

  /** The decisions about one item, oldest first. */
  List<PinDecision> history(PinKey key);

  /**
   * Whether the gateway has seen this server's list of this kind before; under
   * trust-on-first-use the first list is the baseline that is trusted.
   */
  boolean hasBaseline(String server, ItemKind kind);

  void markBaseline(String server, ItemKind kind, Instant at);

  /**
   * A number that changes whenever any process writes to the store, so a running gateway notices
   * decisions made through the CLI.
   */
  long revision();

  @Override
  void close();
}
