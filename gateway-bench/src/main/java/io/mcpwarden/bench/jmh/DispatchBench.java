package io.mcpwarden.bench.jmh;

import io.mcpwarden.bench.EchoProtocol;
import io.mcpwarden.core.audit.AuditLog;
import io.mcpwarden.core.backend.RelatedSink;
import io.mcpwarden.core.backend.UpstreamCall;
import io.mcpwarden.core.backend.UpstreamSession;
import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.dispatch.Dispatcher;
import io.mcpwarden.core.guard.GuardChain;
import io.mcpwarden.core.guard.UnsafeIconGuard;
import io.mcpwarden.core.message.Envelope;
import io.mcpwarden.core.message.JsonCodec;
import io.mcpwarden.core.route.Router;
import io.mcpwarden.core.session.FrontSession;
import io.mcpwarden.core.session.SessionStore;
import io.mcpwarden.server.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway core's own cost for one {@code tools/call}: envelope, guard chain, router (route
 * lookup in the cached catalog), the upstream call and the response, with an in-memory upstream
 * that answers at once and no audit. Everything a proxied call costs beyond this is transport
 * and threading.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DispatchBench {
  private static final String CONFIG = """
      listen: {host: 127.0.0.1, port: 0, path: /mcp}
      audit: {path: ""}
      servers:
        echo: {url: "http://127.0.0.1:9/mcp", prefix: false}
      """;

  private JsonCodec codec;
  private Dispatcher dispatcher;
  private FrontSession session;
  private byte[] request;

  @Setup(Level.Trial)
  public void setup() {
    GatewayConfig config = new ConfigLoader(Map.of(), Path.of(".")).parse(CONFIG, "bench.yaml", Path.of("."));
    codec = new JsonCodec(64, 4 * 1024 * 1024);
    SessionStore sessions = new SessionStore(config.sessions(), config.limits().maxSessions(), Clock.systemUTC());
    Router router = new Router(config);
    GuardChain chain = new GuardChain(List.of(new UnsafeIconGuard()), router);
    dispatcher = new Dispatcher(config, List.of(), sessions, chain, router, AuditLog.NONE);
    ObjectNode caps = codec.mapper().createObjectNode();
    session = new FrontSession(SessionStore.newId(), "anonymous", "2025-11-25", caps, Instant.now());
    session.addUpstream("echo", new InMemoryUpstream());
    session.markInitialized();
    request = ("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
        + "\"arguments\":{\"message\":\"c0:abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk\"}}}")
        .getBytes(StandardCharsets.UTF_8);
    callEcho(); // fills the session's tool catalog, as the first call of a real session does
  }

  /** Bytes in, bytes out: parse, dispatch, encode the response. */
  @Benchmark
  public byte[] callEcho() {
    ObjectNode response = dispatcher.request(session, Envelope.of(codec.parse(request)), RelatedSink.NONE);
    return codec.write(response);
  }

  /** Answers like the load benchmark's EchoServer, synchronously. */
  static final class InMemoryUpstream implements UpstreamSession {
    private final EchoProtocol answers = new EchoProtocol();
    private final ObjectNode initializeResult = EchoProtocol.initializeResult("2025-11-25");

    @Override
    public ObjectNode initializeResult() {
      return initializeResult;
    }

    @Override
    public String protocolVersion() {
      return "2025-11-25";
    }

    @Override
    public UpstreamCall call(ObjectNode request, RelatedSink related) {
      return new UpstreamCall(CompletableFuture.completedFuture(answers.answer(request)), reason -> {});
    }

    @Override
    public void notify(ObjectNode notification) {}

    @Override
    public void respond(ObjectNode response) {}

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
