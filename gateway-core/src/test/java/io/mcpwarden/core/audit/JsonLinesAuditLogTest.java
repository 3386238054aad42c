package io.mcpwarden.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonLinesAuditLogTest {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  @TempDir Path dir;

  static AuditEvent event(String detail) {
    return new AuditEvent(Instant.parse("2025-11-25T10:00:00Z"), "mcp.request", "alice", "sid", "tools/call",
        "demo", "demo_echo", "allow", 200, 0, 1234, detail);
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      out.add(MAPPER.readTree(line));
    }
    return out;
  }

  @Test
  void writesOneJsonObjectPerLineWithItsFields() throws IOException {
    Path file = dir.resolve("sub/dir/audit.jsonl");
    try (JsonLinesAuditLog log = JsonLinesAuditLog.toFile(file, 16)) {
      assertThat(log.append(event("first"))).isEqualTo(1);
      assertThat(log.append(new AuditEvent(Instant.EPOCH, "http.reject", "anonymous", null, null, null, null,
          "deny", 403, -32001, 5, null))).isEqualTo(2);
    }
    List<JsonNode> lines = lines(file);
    assertThat(lines).hasSize(2);
    JsonNode a = lines.get(0);
    assertThat(a.get("seq").asLong()).isEqualTo(1);
    assertThat(a.get("time").asString()).isEqualTo("2025-11-25T10:00:00Z");
    assertThat(a.get("type").asString()).isEqualTo("mcp.request");
    assertThat(a.get("subject").asString()).isEqualTo("alice");
    assertThat(a.get("target").asString()).isEqualTo("demo_echo");
    assertThat(a.get("status").asInt()).isEqualTo(200);
    assertThat(a.has("code")).as("no code for success").isFalse();
    assertThat(a.get("latency_us").asLong()).isEqualTo(1234);
    assertThat(a.get("detail").asString()).isEqualTo("first");
    JsonNode b = lines.get(1);
    assertThat(b.get("code").asInt()).isEqualTo(-32001);
    assertThat(b.has("session")).as("null fields are left out").isFalse();
    assertThat(b.has("detail")).isFalse();
  }

  @Test
  void detailWithNewlinesStaysOnOneLine() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    try (JsonLinesAuditLog log = JsonLinesAuditLog.toFile(file, 16)) {
      log.append(event("line1\n{\"seq\":999}\r\nline3"));
    }
    List<JsonNode> lines = lines(file);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).get("seq").asLong()).isEqualTo(1);
    assertThat(lines.get(0).get("detail").asString()).contains("\n{\"seq\":999}");
  }

  @Test
  void sequenceIsStrictlyIncreasingAndGapFreeUnderConcurrentAppends() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    int threads = 8;
    int perThread = 1_000;
    List<Long> returned = Collections.synchronizedList(new ArrayList<>());
    // A small queue so that writers really contend and block on back pressure.
    try (JsonLinesAuditLog log = JsonLinesAuditLog.toFile(file, 16);
        ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          List<Long> mine = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            mine.add(log.append(event("t" + thread + "-" + i)));
          }
          // Each thread sees its own sequence numbers strictly increasing.
          for (int i = 1; i < mine.size(); i++) {
            assertThat(mine.get(i)).isGreaterThan(mine.get(i - 1));
          }
          returned.addAll(mine);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
      assertThat(log.failures()).isZero();
    }
    int total = threads * perThread;
    List<Long> sorted = new ArrayList<>(returned);
    Collections.sort(sorted);
    assertThat(sorted).hasSize(total);
    for (int i = 0; i < total; i++) {
      assertThat(sorted.get(i)).isEqualTo(i + 1L);
    }
    List<String> fileLines = Files.readAllLines(file);
    assertThat(fileLines).hasSize(total);
    for (int i = 0; i < total; i++) {
      assertThat(MAPPER.readTree(fileLines.get(i)).get("seq").asLong()).as("line %d", i).isEqualTo(i + 1L);
    }
  }

  @Test
  void closeFlushesEverythingQueued() throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    JsonLinesAuditLog log = JsonLinesAuditLog.toStream(sink, 10_000);
    for (int i = 0; i < 5_000; i++) {
      log.append(event("e" + i));
    }
    log.close();
    String[] lines = sink.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(5_000);
    assertThat(MAPPER.readTree(lines[4_999]).get("seq").asLong()).isEqualTo(5_000);
  }

  @Test
  void closeDoesNotCloseAStreamTheCallerOwns() {
    boolean[] closed = {false};
    OutputStream os = new ByteArrayOutputStream() {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    JsonLinesAuditLog.toStream(os, 16).close();
    assertThat(closed[0]).isFalse();
  }

  @Test
  void appendAfterCloseIsCountedAsAFailure() {
    JsonLinesAuditLog log = JsonLinesAuditLog.toStream(new ByteArrayOutputStream(), 16);
    log.close();
    assertThat(log.append(event("late"))).isEqualTo(-1);
    assertThat(log.failures()).isEqualTo(1);
  }

  @Test
  void appendsToAnExistingFile() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    Files.writeString(file, "{\"seq\":0}\n");
    try (JsonLinesAuditLog log = JsonLinesAuditLog.toFile(file, 16)) {
      log.append(event("x"));
    }
    assertThat(Files.readAllLines(file)).hasSize(2).first().isEqualTo("{\"seq\":0}");
  }

  @Test
  void writeFailuresAreCountedNotThrown() {
    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("disk full");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("disk full");
      }
    };
    JsonLinesAuditLog log = JsonLinesAuditLog.toStream(broken, 16);
    assertThat(log.append(event("a"))).isEqualTo(1);
    assertThat(log.append(event("b"))).isEqualTo(2);
    log.close();
    assertThat(log.failures()).isEqualTo(2);
  }

  @Test
  void noneCountsButKeepsNothing() {
    assertThat(AuditLog.NONE.append(event("x"))).isPositive();
    assertThat(AuditLog.NONE.failures()).isZero();
  }
}
