package io.mcpwarden.bench.jmh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The price of handing a request from one thread to another and waiting for the answer, as the
 * edge does (Jetty thread, request virtual thread, dispatcher virtual thread, upstream-call virtual
 * thread, HTTP client thread).
 *
 * <p>{@code hops} virtual threads are started in a chain, each waiting for the next; {@code hops
 * = 0} is the same work inline. The difference per hop is what one handoff costs on this machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class HandoffBench {
  @Param({"0", "1", "3"})
  public int hops;

  @Benchmark
  public Integer chain() {
    return hop(hops);
  }

  private static Integer hop(int left) {
    if (left == 0) {
      return 42;
    }
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    Thread.startVirtualThread(() -> answer.complete(hop(left - 1)));
    return answer.join();
  }
}
