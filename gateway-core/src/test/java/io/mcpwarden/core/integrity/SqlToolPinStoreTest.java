package io.mcpwarden.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlToolPinStoreTest {
  private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

  @Test
  void recordsDecisionsAndBaselinesSurviveReopening(@TempDir Path dir) {
    Path file = dir.resolve("sub/integrity.db");
    PinKey key = new PinKey("demo", ItemKind.TOOL, "echo");
    try (SqlToolPinStore store = SqlToolPinStore.sqlite(file)) {
      long r0 = store.revision();
      PinRecord pending = new PinRecord(key, "sha256:aa", "{\"name\":\"echo\"}", null, null, PinState.PENDING, T0, "gateway", T0, "new");
      store.save(pending, new PinDecision(key, null, PinState.PENDING, "sha256:aa", "gateway", T0, "new"));
      PinRecord approved = pending.approved("cli:alice", T0.plusSeconds(5), "looks fine");
      store.save(approved, new PinDecision(key, PinState.PENDING, PinState.APPROVED, "sha256:aa", "cli:alice", T0.plusSeconds(5), "looks fine"));
      store.markBaseline("demo", ItemKind.TOOL, T0);
      assertThat(store.revision()).isGreaterThan(r0);
    }
    try (SqlToolPinStore store = SqlToolPinStore.sqlite(file)) {
      PinRecord r = store.find(key).orElseThrow();
      assertThat(r.state()).isEqualTo(PinState.APPROVED);
      assertThat(r.pinnedFingerprint()).isEqualTo("sha256:aa");
      assertThat(r.decidedBy()).isEqualTo("cli:alice");
      assertThat(r.decidedAt()).isEqualTo(T0.plusSeconds(5));
      assertThat(r.firstSeen()).isEqualTo(T0);
      assertThat(store.history(key)).extracting(PinDecision::to).containsExactly(PinState.PENDING, PinState.APPROVED);
      assertThat(store.history(key).get(1).by()).isEqualTo("cli:alice");
      assertThat(store.hasBaseline("demo", ItemKind.TOOL)).isTrue();
      assertThat(store.hasBaseline("demo", ItemKind.PROMPT)).isFalse();
      assertThat(store.all()).hasSize(1);
      assertThat(store.find(new PinKey("demo", ItemKind.PROMPT, "echo"))).isEmpty();
    }
  }

  @Test
  void aSecondConnectionSeesWritesThroughTheRevision(@TempDir Path dir) {
    Path file = dir.resolve("integrity.db");
    PinKey key = new PinKey("s", ItemKind.PROMPT, "p");
    try (SqlToolPinStore gateway = SqlToolPinStore.sqlite(file); SqlToolPinStore cli = SqlToolPinStore.sqlite(file)) {
      long before = gateway.revision();
      cli.save(new PinRecord(key, "sha256:bb", "{}", null, null, PinState.PENDING, T0, "gateway", T0, null), null);
      assertThat(gateway.revision()).isNotEqualTo(before);
      assertThat(gateway.find(key)).isPresent();
    }
  }

  @Test
  void theKnownMigrationsAreExactlyWhatFlywayRecordsForTheMigrationFiles(@TempDir Path dir) throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("flyway.db");
    Flyway.configure().dataSource(url, null, null).locations("classpath:db/integrity").table(SqlToolPinStore.HISTORY_TABLE)
        .load().migrate();
    try (Connection c = DriverManager.getConnection(url)) {
      assertThat(SqlToolPinStore.applied(c))
          .as("SqlToolPinStore.MIGRATIONS must list every file in db/integrity with Flyway's checksum")
          .isEqualTo(SqlToolPinStore.MIGRATIONS);
    }
    try (Stream<Path> files = Files.list(Path.of(URI.create(getClass().getResource("/db/integrity").toString())))) {
      assertThat(files.count()).isEqualTo(SqlToolPinStore.MIGRATIONS.size());
    }
  }

  @Test
  void aCurrentStoreOpensWithoutFlywayAndAnyOtherHistoryGoesThroughIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("integrity.db");
    String url = "jdbc:sqlite:" + file;
    try (Connection c = DriverManager.getConnection(url)) {
      assertThat(SqlToolPinStore.applied(c)).as("a new store has no history: Flyway creates it").isNull();
    }
    SqlToolPinStore.sqlite(file).close();
    try (Connection c = DriverManager.getConnection(url)) {
      assertThat(SqlToolPinStore.applied(c)).isEqualTo(SqlToolPinStore.MIGRATIONS);
    }
    SqlToolPinStore.sqlite(file).close(); // current: the fast path
    // An applied migration whose file was edited since: not current, so Flyway validates and refuses.
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE " + SqlToolPinStore.HISTORY_TABLE + " SET checksum = checksum + 1");
      assertThat(SqlToolPinStore.applied(c)).isNotEqualTo(SqlToolPinStore.MIGRATIONS);
    }
    assertThatThrownBy(() -> SqlToolPinStore.sqlite(file)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot migrate the integrity store");
    // A failed migration in the history: not current either.
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE " + SqlToolPinStore.HISTORY_TABLE + " SET checksum = checksum - 1, success = 0");
      assertThat(SqlToolPinStore.applied(c)).isNull();
    }
  }
}
