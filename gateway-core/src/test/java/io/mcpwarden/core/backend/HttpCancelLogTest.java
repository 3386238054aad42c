package io.mcpwarden.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mcpwarden.core.config.HttpConfig;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.message.JsonRpc;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A cancelled HTTP upstream call is a normal event (a client pressing stop, a timeout): no
 * warning, no stack trace; at most one DEBUG line.
 */
class HttpCancelLogTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private HttpFakeUpstream fake;
  private StreamableHttpBackend backend;
  private final Logger logger = (Logger) LoggerFactory.getLogger(HttpUpstreamSession.class);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private Level level;

  @BeforeEach
  void setUp() throws Exception {
    fake = new HttpFakeUpstream();
    backend = new StreamableHttpBackend(new ServerConfig("fake", ServerConfig.Transport.HTTP, true, Duration.ofSeconds(5),
        Duration.ofSeconds(2), null, new HttpConfig(fake.url(), Map.of(), Duration.ofSeconds(1), 8)));
    backend.start();
    level = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void tearDown() throws Exception {
    logger.detachAppender(appender);
    logger.setLevel(level);
    backend.close();
    fake.close();
  }

  private List<ILoggingEvent> events() {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }

  private static ObjectNode toolCall(int id) {
    ObjectNode params = JsonRpc.NODES.objectNode().put("name", "echo");
    return JsonRpc.request(JsonRpc.NODES.numberNode(id), "tools/call", params);
  }

  private static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void cancellingAStreamingCallLogsOneDebugLineAndNoWarning() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    fake.onRequest.put("tools/call", (r, reply) -> {
      reply.sse().raw("id: s-0\ndata:\n\n"); // the call is streaming when it is cancelled
      release.await(5, TimeUnit.SECONDS);
    });
    UpstreamSession session = backend.open(new HttpStreamableBackendTest.RecordingListener(), JsonRpc.NODES.objectNode());
    try {
      // Whether the aborted exchange ends with Jetty's CancellationException (the path that logged a
      // WARN with a stack trace) or an IOException depends on timing: cancel until it has happened.
      for (int i = 1; i <= 20 && !loggedCancellation(); i++) {
        int before = fake.withRpcMethod("tools/call").size();
        UpstreamCall call = session.call(toolCall(i), RelatedSink.NONE);
        eventually(() -> fake.withRpcMethod("tools/call").size() > before);
        call.cancel("user pressed stop");
        Thread.sleep(50); // lets the exchange thread end before the next attempt (this is no clock-driven logic)
      }
    } finally {
      release.countDown();
    }
    assertThat(loggedCancellation()).as("a cancelled exchange ended with Jetty's CancellationException").isTrue();
    assertThat(events()).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
    assertThat(events()).filteredOn(e -> e.getFormattedMessage().contains("ended after cancellation"))
        .allSatisfy(e -> {
          assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
          assertThat(e.getThrowableProxy()).isNull();
        });
  }

  private boolean loggedCancellation() {
    return events().stream().anyMatch(e -> e.getFormattedMessage().contains("tools/call ended after cancellation"));
  }

  @Test
  void aStreamingCallThatIsNotCancelledIsAnsweredAndLogsNoCancellation() throws Exception {
    fake.onRequest.put("tools/call", (r, reply) -> {
      reply.sse().raw("id: s-0\ndata:\n\n");
      reply.event("s-1", JsonRpc.result(r.rpcId(), JsonRpc.NODES.objectNode()));
    });
    UpstreamSession session = backend.open(new HttpStreamableBackendTest.RecordingListener(), JsonRpc.NODES.objectNode());
    ObjectNode response = session.call(toolCall(2), RelatedSink.NONE).await(WAIT);
    assertThat(response.has("result")).isTrue();
    assertThat(events()).noneMatch(e -> e.getFormattedMessage().contains("cancellation") || e.getLevel().isGreaterOrEqual(Level.WARN));
  }
}
