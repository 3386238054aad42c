package io.mcpwarden.core.integrity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/**
 * {@link ToolPinStore} over JDBC, SQLite by default, with its schema created and upgraded by
 * Flyway migrations ({@code classpath:db/integrity}).
 *
 * <p>Only portable SQL (no upsert dialects, timestamps as ISO-8601 text), so a PostgreSQL store is
 * a different JDBC URL rather than a different class. One connection, used under a lock: the load
 * is a few writes when definitions change and cached reads otherwise.
 */
public final class SqlToolPinStore implements ToolPinStore {
  /** Flyway's history table, named so it cannot clash with another component's migrations. */
  static final String HISTORY_TABLE = "pin_schema_history";

  private final Connection db;

  private SqlToolPinStore(Connection db) {
    this.db = db;
  }

  /** Opens (creating and migrating as needed) the SQLite store in {@code file}. */
  public static SqlToolPinStore sqlite(Path file) {
    Path abs = file.toAbsolutePath();
    try {
      if (abs.getParent() != null) {
        Files.createDirectories(abs.getParent());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory of the integrity store " + abs, e);
    }
    Properties props = new Properties();
    // WAL and a busy timeout let the CLI write while a gateway holds the file open; IMMEDIATE
    // transactions take the write lock up front, so read-then-write never fails half-way.
    props.setProperty("journal_mode", "WAL");
    props.setProperty("busy_timeout", "10000");
    props.setProperty("transaction_mode", "IMMEDIATE");
    return open("jdbc:sqlite:" + abs, props);
  }

  /**
   * The migrations in {@code classpath:db/integrity} as Flyway records them once applied: version
   * and checksum, in order. A store whose history holds exactly these, all successful, is current
   * and opens without Flyway (see {@link #open}); a test checks this list against Flyway's own
   * record of the migration files, so a new or edited migration cannot be forgotten here.
   */
  static final List<AppliedMigration> MIGRATIONS = List.of(new AppliedMigration("1", 660_854_688));

  /** One applied migration as Flyway's history table records it. */
  record AppliedMigration(String version, int checksum) {}

  /**
   * Opens the store at a JDBC URL, migrating its schema first. A store already at the current
   * schema, with a history Flyway would validate, opens without starting Flyway: its scan of the
   * class path and its own set-up were about a tenth of the gateway's start-up, for a check that
   * almost always finds nothing to do. Anything else (new store, older schema, a failed or
   * unknown migration, an edited checksum) goes through Flyway, which migrates or refuses.
   */
  public static SqlToolPinStore open(String jdbcUrl, Properties props) {
    try {
      Connection c = DriverManager.getConnection(jdbcUrl, props);
      boolean current;
      try {
        current = MIGRATIONS.equals(applied(c));
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
      if (!current) {
        Flyway.configure()
            .dataSource(jdbcUrl, props.getProperty("user"), props.getProperty("password"))
            .locations("classpath:db/integrity")
            .table(HISTORY_TABLE)
            .load()
            .migrate();
      }
      return new SqlToolPinStore(c); // auto-commit for reads; writes open their own transaction
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the integrity store " + jdbcUrl + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot migrate the integrity store " + jdbcUrl + ": " + e.getMessage(), e);
    }
  }

  /**
   * The successful migrations in the store's history, in the order they were applied; null when
   * there is no history table yet or any migration in it failed (Flyway must look at it).
   */
  static List<AppliedMigration> applied(Connection c) throws SQLException {
    try (ResultSet tables = c.getMetaData().getTables(null, null, HISTORY_TABLE, null)) {
      if (!tables.next()) {
        return null;
      }
    }
    List<AppliedMigration> applied = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT version, checksum, success FROM " + HISTORY_TABLE + " ORDER BY installed_rank");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        int checksum = rs.getInt(2);
        boolean noChecksum = rs.wasNull();
        if (!rs.getBoolean(3) || noChecksum) {
          return null;
        }
        applied.add(new AppliedMigration(rs.getString(1), checksum));
      }
    }
    return applied;
  }

  @Override
  public synchronized List<PinRecord> all() {
    return query("SELECT * FROM pin_record ORDER BY server, kind, name", ps -> {});
  }

  @Override
  public synchronized Optional<PinRecord> find(PinKey key) {
    return query("SELECT * FROM pin_record WHERE server = ? AND kind = ? AND name = ?", ps -> bindKey(ps, key, 1))
        .stream().findFirst();
  }

  @Override
  public synchronized void save(PinRecord r, PinDecision decision) {
    try {
      db.setAutoCommit(false);
      int updated;
      try (PreparedStatement ps = db.prepareStatement("UPDATE pin_record SET fingerprint = ?, definition = ?, pinned_fingerprint = ?,"
          + " pinned_definition = ?, state = ?, first_seen = ?, decided_by = ?, decided_at = ?, reason = ?"
          + " WHERE server = ? AND kind = ? AND name = ?")) {
        bindValues(ps, r);
        bindKey(ps, r.key(), 10);
        updated = ps.executeUpdate();
      }
      if (updated == 0) {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO pin_record (fingerprint, definition, pinned_fingerprint,"
            + " pinned_definition, state, first_seen, decided_by, decided_at, reason, server, kind, name)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          bindValues(ps, r);
          bindKey(ps, r.key(), 10);
          ps.executeUpdate();
        }
      }
      if (decision != null) {
        long seq;
        try (PreparedStatement ps = db.prepareStatement("SELECT COALESCE(MAX(seq), 0) + 1 FROM pin_decision");
            ResultSet rs = ps.executeQuery()) {
          rs.next();
          seq = rs.getLong(1);
        }
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO pin_decision (seq, server, kind, name, from_state, to_state,"
            + " fingerprint, decided_by, decided_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          ps.setLong(1, seq);
          bindKey(ps, decision.key(), 2);
          ps.setString(5, decision.from() == null ? null : decision.from().label());
          ps.setString(6, decision.to().label());
          ps.setString(7, decision.fingerprint());
          ps.setString(8, decision.by());
          ps.setString(9, decision.at().toString());
          ps.setString(10, decision.reason());
          ps.executeUpdate();
        }
      }
      bumpRevision();
      db.commit();
      db.setAutoCommit(true);
    } catch (SQLException e) {
      rollback();
      throw new IllegalStateException("integrity store: cannot save " + r.key() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized List<PinDecision> history(PinKey key) {
    List<PinDecision> out = new ArrayList<>();
    try (PreparedStatement ps = db.prepareStatement("SELECT * FROM pin_decision WHERE server = ? AND kind = ? AND name = ? ORDER BY seq")) {
      bindKey(ps, key, 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String from = rs.getString("from_state");
          out.add(new PinDecision(key, from == null ? null : PinState.parse(from), PinState.parse(rs.getString("to_state")),
              rs.getString("fingerprint"), rs.getString("decided_by"), Instant.parse(rs.getString("decided_at")), rs.getString("reason")));
        }
      }
            return out;
    } catch (SQLException e) {
      rollback();
      throw new IllegalStateException("integrity store: cannot read history of " + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized boolean hasBaseline(String server, ItemKind kind) {
    try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM pin_baseline WHERE server = ? AND kind = ?")) {
      ps.setString(1, server);
      ps.setString(2, kind.label());
      try (ResultSet rs = ps.executeQuery()) {
        boolean found = rs.next();
                return found;
      }
    } catch (SQLException e) {
      rollback();
      throw new IllegalStateException("integrity store: cannot read baselines: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void markBaseline(String server, ItemKind kind, Instant at) {
    try {
      db.setAutoCommit(false);
      boolean exists;
      try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM pin_baseline WHERE server = ? AND kind = ?")) {
        ps.setString(1, server);
        ps.setString(2, kind.label());
        try (ResultSet rs = ps.executeQuery()) {
          exists = rs.next();
        }
      }
      if (!exists) {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO pin_baseline (server, kind, seen_at) VALUES (?, ?, ?)")) {
          ps.setString(1, server);
          ps.setString(2, kind.label());
          ps.setString(3, at.toString());
          ps.executeUpdate();
        }
        bumpRevision();
      }
      db.commit();
      db.setAutoCommit(true);
    } catch (SQLException e) {
      rollback();
      throw new IllegalStateException("integrity store: cannot record a baseline: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized long revision() {
    try (PreparedStatement ps = db.prepareStatement("SELECT revision FROM pin_revision WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      long r = rs.next() ? rs.getLong(1) : 0;
            return r;
    } catch (SQLException e) {
      rollback();
      throw new IllegalStateException("integrity store: cannot read the revision: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      // closing: nothing left to protect
    }
  }

  private void bumpRevision() throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("UPDATE pin_revision SET revision = revision + 1 WHERE id = 1")) {
      ps.executeUpdate();
    }
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private List<PinRecord> query(String sql, Binder binder) {
    List<PinRecord> out = new ArrayList<>();
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
            return out;
    } catch (SQLException e) {
      rollback();
      throw new IllegalStateException("integrity store: query failed: " + e.getMessage(), e);
    }
  }

  private static PinRecord read(ResultSet rs) throws SQLException {
    ItemKind kind = ItemKind.parse(rs.getString("kind"));
    PinState state = PinState.parse(rs.getString("state"));
    if (kind == null || state == null) {
      throw new SQLException("unknown kind or state in pin_record: " + rs.getString("kind") + "/" + rs.getString("state"));
    }
    return new PinRecord(new PinKey(rs.getString("server"), kind, rs.getString("name")), rs.getString("fingerprint"),
        rs.getString("definition"), rs.getString("pinned_fingerprint"), rs.getString("pinned_definition"), state,
        Instant.parse(rs.getString("first_seen")), rs.getString("decided_by"), Instant.parse(rs.getString("decided_at")),
        rs.getString("reason"));
  }

  private static void bindKey(PreparedStatement ps, PinKey key, int from) throws SQLException {
    ps.setString(from, key.server());
    ps.setString(from + 1, key.kind().label());
    ps.setString(from + 2, key.name());
  }

  private static void bindValues(PreparedStatement ps, PinRecord r) throws SQLException {
    ps.setString(1, r.fingerprint());
    ps.setString(2, r.definition());
    ps.setString(3, r.pinnedFingerprint());
    ps.setString(4, r.pinnedDefinition());
    ps.setString(5, r.state().label());
    ps.setString(6, r.firstSeen().toString());
    ps.setString(7, r.decidedBy());
    ps.setString(8, r.decidedAt().toString());
    ps.setString(9, r.reason());
  }

  private void rollback() {
    try {
      if (!db.getAutoCommit()) {
        db.rollback();
        db.setAutoCommit(true);
      }
    } catch (SQLException ignored) {
      // the original failure is what the caller reports
    }
  }
}
