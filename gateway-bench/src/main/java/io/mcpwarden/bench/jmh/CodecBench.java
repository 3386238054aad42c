package io.mcpwarden.bench.jmh;

import io.mcpwarden.core.message.Envelope;
import io.mcpwarden.core.message.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every proxied call pays for JSON: parsing the client's request into an {@link Envelope},
 * and the id rewrite plus re-encoding the upstream sees.
 *
 * <p>A floor for the per-request CPU in the load benchmark: if these are a few microseconds and a
 * proxied call costs hundreds, the time is going elsewhere (threads, I/O).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CodecBench {
  private JsonCodec codec;
  private byte[] request;
  private ObjectNode parsed;

  @Setup
  public void setup() {
    codec = new JsonCodec(64, 4 * 1024 * 1024);
    request = ("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
        + "\"arguments\":{\"message\":\"c0:abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk\"}}}")
        .getBytes(StandardCharsets.UTF_8);
    parsed = Envelope.of(codec.parse(request)).raw();
  }

  @Benchmark
  public Envelope parseRequest() {
    return Envelope.of(codec.parse(request));
  }

  @Benchmark
  public byte[] rewriteIdAndEncode() {
    ObjectNode out = parsed.deepCopy();
    out.put("id", 7L);
    return codec.write(out);
  }
}
