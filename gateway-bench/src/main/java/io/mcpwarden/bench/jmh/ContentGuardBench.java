package io.mcpwarden.bench.jmh;

import io.mcpwarden.bench.EchoProtocol;
import io.mcpwarden.bench.ProseText;
import io.mcpwarden.core.audit.AuditLog;
import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.content.ArgumentGuard;
import io.mcpwarden.core.content.ResultGuard;
import io.mcpwarden.core.content.TextScreen;
import io.mcpwarden.core.detect.SensitiveMatch;
import io.mcpwarden.core.detect.Verdict;
import io.mcpwarden.core.detect.injection.IndirectInjectionDetector;
import io.mcpwarden.core.detect.pii.PiiScanner;
import io.mcpwarden.core.detect.secret.SecretScanner;
import io.mcpwarden.core.guard.Exchange;
import io.mcpwarden.core.guard.GuardChain;
import io.mcpwarden.core.guard.Outcome;
import io.mcpwarden.core.message.Envelope;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.session.FrontSession;
import io.mcpwarden.server.config.ConfigLoader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where the content guards' time goes on one {@code tools/call echo} (issue 6 target: every guard
 * together adds at most 1 ms p50 on a 4 KB result), on the very text of {@code
 * bench/content-row.sh}: English-like prose ({@link ProseText}, as {@code LoadBench --prose true})
 * of 4,096 bytes, and a 64-byte one for the fixed per-call cost.
 *
 * <ul>
 *   <li>{@code injection}, {@code secrets}, {@code pii}: each detector alone on the text
 *       ({@code IndirectInjectionDetector.inspect}, {@code SecretScanner.scan}, {@code
 *       PiiScanner.scan}).
 *   <li>{@code callOff}, {@code callDefaults}, {@code callAll}: the argument guard and the result
 *       guard around an in-process echo upstream, with the content settings of the three gateway
 *       rows of {@code content-row.sh} (off; defaults: schema validation, secrets in arguments,
 *       injection mark, secret redaction; all on: untrusted server with injection block,
 *       spotlighting and datamarking, PII redaction, URL and shell rules). The text travels as
 *       argument and comes back as result, so both guards see it. {@code callOff} is the floor
 *       (building the request exchange and the echo answer); the guards' cost is the difference.
 * </ul>
 *
 * <p>Besides the sampled wall time per call (p50, p99), each benchmark prints the benchmark
 * thread's CPU time per call over its measurement iterations ({@link Cpu}), which on a shared
 * machine is the steadier figure (time spent descheduled does not count). {@code bench/jmh.sh
 * ContentGuard} runs it; {@code -- -p bytes=4096} for one size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ContentGuardBench {
  @Param({"4096", "64"})
  public int bytes;

  private String text;
  private IndirectInjectionDetector injection;
  private SecretScanner secrets;
  private PiiScanner pii;
  private GuardChain off;
  private GuardChain defaults;
  private GuardChain all;
  private ObjectNode request;
  private FrontSession session;

  /**
   * The benchmark thread's CPU time per call over the measurement iterations, printed at the end
   * of the run as {@code CPU <benchmark> bytes=<n>: <µs>/op}. Every benchmark method counts its
   * calls here; the thread's CPU clock is read once at each end of an iteration, so reading it
   * costs nothing per call. (Not a JMH secondary result: those are summed over iterations.)
   */
  @State(Scope.Thread)
  public static class Cpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private long thread;
    private boolean measuring;
    private long startNanos;
    private long ops;
    private long totalNanos;
    private long totalOps;

    @Setup(Level.Iteration)
    public void start(IterationParams iteration) {
      measuring = iteration.getType() == IterationType.MEASUREMENT;
      ops = 0;
      thread = Thread.currentThread().threadId();
      startNanos = THREADS.getThreadCpuTime(thread);
    }

    void count() {
      ops++;
    }

    @TearDown(Level.Iteration)
    public void stop() {
      if (measuring) {
        totalNanos += THREADS.getThreadCpuTime(thread) - startNanos;
        totalOps += ops;
      }
    }

    @TearDown(Level.Trial)
    public void report(BenchmarkParams params) {
      System.out.printf(Locale.ROOT, "%nCPU %s bytes=%s: %.1f us/op (thread CPU time, %d calls measured)%n",
          params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1), params.getParam("bytes"),
          totalOps == 0 ? 0.0 : totalNanos / 1000.0 / totalOps, totalOps);
    }
  }

  @Setup
  public void setup() {
    text = ProseText.of(bytes, "c0");
    injection = new IndirectInjectionDetector();
    secrets = SecretScanner.defaults();
    pii = PiiScanner.defaults();
    EchoProtocol upstream = new EchoProtocol();
    ObjectNode tool = (ObjectNode) upstream.answer(JsonRpc.NODES.objectNode().put("jsonrpc", "2.0").put("id", 0)
        .put("method", "tools/list")).path("result").path("tools").get(0);
    TextScreen screen = new TextScreen(injection, secrets, pii);
    off = chain(config("content: { validate-arguments: false, injection: off, secrets-in-arguments: allow,"
        + " secrets-in-results: allow }"), screen, tool, upstream);
    defaults = chain(config(""), screen, tool, upstream);
    all = chain(config("""
            trust: untrusted
            content:
              datamark: true
              pii: redact
              executes-commands: true
              urls: { allow-private: false }"""), screen, tool, upstream);
    request = JsonRpc.NODES.objectNode().put("jsonrpc", "2.0").put("id", 7).put("method", "tools/call");
    ObjectNode params = request.putObject("params").put("name", "echo");
    params.putObject("arguments").put("message", text);
    session = new FrontSession("bench-session", "anonymous", "2025-11-25", JsonRpc.NODES.objectNode(), Instant.now());
    // The prose is clean: every configuration must pass it, or the benchmark measures a refusal.
    for (GuardChain c : List.of(off, defaults, all)) {
      if (!(c.run(exchange()) instanceof Outcome.Forward f) || f.upstreamResponse().path("result").path("isError").asBoolean()) {
        throw new IllegalStateException("the benchmark text was refused or blocked");
      }
    }
  }

  /** The content-row.sh gateway config with the given lines (indented as under a server) for the echo server. */
  private static GatewayConfig config(String serverLines) {
    String yaml = """
        listen:
          host: 127.0.0.1
          port: 0
          path: /mcp
        servers:
          echo:
            url: http://127.0.0.1:9/mcp
            prefix: false
        """ + serverLines.lines().map(l -> "    " + l + "\n").reduce("", String::concat);
    return new ConfigLoader(Map.of(), Path.of(".")).parse(yaml, "content-bench", Path.of("."));
  }

  private static GuardChain chain(GatewayConfig config, TextScreen screen, ObjectNode tool, EchoProtocol upstream) {
    Clock clock = Clock.systemUTC();
    ArgumentGuard arguments = new ArgumentGuard(config.content(), config.servers(),
        ex -> new ArgumentGuard.Tool("echo", "echo", tool), screen, AuditLog.NONE, clock);
    ResultGuard results = new ResultGuard(config.content(), config.servers(), screen, AuditLog.NONE, clock);
    return new GuardChain(List.of(arguments, results), ex -> {
      ex.routedTo("echo", "echo");
      return new Outcome.Forward(upstream.answer(ex.request().raw()));
    });
  }

  private Exchange exchange() {
    return new Exchange(Envelope.of(request), session, null, System.nanoTime());
  }

  @Benchmark
  public Verdict injection(Cpu cpu) {
    cpu.count();
    return injection.inspect(text);
  }

  @Benchmark
  public List<SensitiveMatch> secrets(Cpu cpu) {
    cpu.count();
    return secrets.scan(text);
  }

  @Benchmark
  public List<SensitiveMatch> pii(Cpu cpu) {
    cpu.count();
    return pii.scan(text);
  }

  @Benchmark
  public Outcome callOff(Cpu cpu) {
    cpu.count();
    return off.run(exchange());
  }

  @Benchmark
  public Outcome callDefaults(Cpu cpu) {
    cpu.count();
    return defaults.run(exchange());
  }

  @Benchmark
  public Outcome callAll(Cpu cpu) {
    cpu.count();
    return all.run(exchange());
  }
}
