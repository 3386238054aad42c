package io.mcpwarden.bench;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Closed-loop load on one MCP endpoint: N connections, each its own MCP session, each sending
 * {@code tools/call echo} as soon as the previous answer arrived, for a fixed time.
 *
 * <pre>
 *   LoadBench --url http://127.0.0.1:P/mcp --label NAME --group G [--role baseline|subject|compare]
 *             [--connections 16] [--warmup 10] [--duration 20] [--message-bytes 64]
 *             [--watch NAME=PID]... [--results FILE] [--timeout-ms 10000] [--setup-timeout 120]
 *             [--window SECONDS]   (also report throughput and CPU per slice, warm-up included)
 *             [--rate R]           (paced: R calls/s over all connections, latency from due time)
             [--bearer TOKEN]     (send Authorization: Bearer TOKEN on every request)
             [--prose true]       (echo English-like prose; answers checked for the session tag only)
 * </pre>
 *
 * <p>Sessions are opened before the clock starts; the warm-up is run and discarded; latencies are
 * recorded (HdrHistogram, 3 significant digits) only for calls started in the measured window.
 * Closed loop means latency is service time as the client sees it, with no coordinated-omission
 * correction: compare runs with each other, not with an open-loop SLO.
 *
 * <p>With {@code --rate R} the connections instead send R calls per second together, each on a
 * fixed schedule (open loop, as wrk2 does): a call's latency counts from when it was due, so it
 * includes any wait caused by earlier slow calls. This shows what the gateway adds to a call when
 * the machine is not saturated, which a closed loop at 16 connections on two cores never shows.
 */
public final class LoadBench {
  private LoadBench() {}

  public static void main(String[] argv) throws Exception {
    Args a = new Args(argv);
    URI url = URI.create(a.required("url"));
    String label = a.get("label", url.toString());
    String group = a.get("group", "http");
    String role = a.get("role", "compare");
    int connections = a.integer("connections", 16);
    double warmup = a.number("warmup", 10);
    double duration = a.number("duration", 20);
    int messageBytes = a.integer("message-bytes", 64);
    int timeoutMillis = a.integer("timeout-ms", 10_000);
    double setupTimeout = a.number("setup-timeout", 120);
    String results = a.get("results", null);
    double windowSeconds = a.number("window", 0);
    String bearer = a.get("bearer", null);
    boolean prose = "true".equals(a.get("prose", "false"));
    // Paced (open-loop) mode: all connections together send `rate` calls per second on a fixed
    // schedule, and a call's latency counts from when it was due, so a stall is charged to every
    // call it delayed (no coordinated omission). 0: closed loop, each call right after the last.
    double rate = a.number("rate", 0);
    Map<String, Long> watch = new LinkedHashMap<>();
    for (String w : a.all("watch")) {
      int eq = w.indexOf('=');
      watch.put(w.substring(0, eq), Long.parseLong(w.substring(eq + 1)));
    }

    CountDownLatch ready = new CountDownLatch(connections);
    CountDownLatch go = new CountDownLatch(1);
    AtomicReference<String> setupFailure = new AtomicReference<>();
    AtomicInteger opened = new AtomicInteger();
    LongAdder completed = new LongAdder();
    long[] window = new long[2]; // measure start, end (nanoTime); published by the go latch
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      McpSession session = new McpSession(url, timeoutMillis, messageBytes, "c" + i).bearer(bearer);
      if (prose) {
        session.prose(messageBytes, "c" + i);
      }
      Worker w = new Worker(session, ready, go, window, setupFailure, opened,
          (int) (setupTimeout * 1000), completed);
      if (rate > 0) {
        w.intervalNanos = (long) (connections * 1e9 / rate);
        w.phaseNanos = w.intervalNanos * i / connections; // connections spread over one interval
      }
      workers.add(w);
      w.thread = Thread.ofPlatform().name("load-" + i).start(w);
    }
    long setupStart = System.nanoTime();
    if (!ready.await((long) (setupTimeout * 1000), TimeUnit.MILLISECONDS)) {
      setupFailure.compareAndSet(null, "sessions not opened within " + setupTimeout + " s");
    }
    double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
    if (opened.get() == 0) {
      warmup = 0;
      duration = Math.min(duration, 0.001);
    }
    long now = System.nanoTime();
    window[0] = now + (long) (warmup * 1e9);
    window[1] = window[0] + (long) (duration * 1e9);
    go.countDown();
    System.err.printf("loadbench %s: %d/%d sessions open in %.2f s; warm-up %.0f s, measuring %.0f s%n",
        label, opened.get(), connections, setupSeconds, warmup, duration);

    CpuWatch cpu = new CpuWatch(watch);
    ArrayNode windows = JsonNodeFactory.instance.arrayNode();
    if (windowSeconds > 0) {
      // The whole run in slices, warm-up included: shows when JIT compilation has settled.
      long sliceStart = System.nanoTime();
      long before = completed.sum();
      boolean cpuStarted = false;
      while (sliceStart < window[1]) {
        long sliceEnd = Math.min(window[1], sliceStart + (long) (windowSeconds * 1e9));
        CpuWatch slice = new CpuWatch(watch);
        slice.start();
        if (!cpuStarted && window[0] < sliceEnd) {
          sleepUntil(window[0]);
          cpu.start();
          cpuStarted = true;
        }
        sleepUntil(sliceEnd);
        Map<String, Double> used = slice.stop();
        long after = completed.sum();
        double secs = (sliceEnd - sliceStart) / 1e9;
        ObjectNode w = windows.addObject();
        w.put("endSeconds", round((sliceEnd - now) / 1e9, 1));
        w.put("rps", round((after - before) / secs, 1));
        ObjectNode wc = w.putObject("cpuUsPerRequest");
        for (Map.Entry<String, Double> e : used.entrySet()) {
          wc.put(e.getKey(), after == before ? 0 : round(e.getValue() * 1e6 / (after - before), 1));
        }
        before = after;
        sliceStart = sliceEnd;
      }
    } else {
      sleepUntil(window[0]);
      cpu.start();
      sleepUntil(window[1]);
    }
    Map<String, Double> cpuSeconds = cpu.stop();
    for (Worker w : workers) {
      w.thread.join(timeoutMillis + 5_000L);
    }

    Histogram all = new Histogram(3);
    long ok = 0;
    long errors = 0;
    String firstError = setupFailure.get();
    for (Worker w : workers) {
      all.add(w.histogram);
      ok += w.ok;
      errors += w.errors;
      if (firstError == null && w.firstError != null) {
        firstError = w.firstError;
      }
      w.session.delete();
      w.session.close();
    }

    ObjectNode r = Results.record("load", group, label);
    r.put("role", role);
    r.put("url", url.toString());
    r.put("connections", connections);
    r.put("sessionsOpened", opened.get());
    r.put("setupSeconds", round(setupSeconds, 3));
    r.put("warmupSeconds", warmup);
    r.put("durationSeconds", duration);
    r.put("messageBytes", messageBytes);
    if (rate > 0) {
      r.put("paceRps", rate);
    }
    r.put("requests", ok);
    r.put("errors", errors);
    r.put("rps", round(ok / duration, 1));
    r.put("p50us", micros(all.getValueAtPercentile(50)));
    r.put("p90us", micros(all.getValueAtPercentile(90)));
    r.put("p99us", micros(all.getValueAtPercentile(99)));
    r.put("p999us", micros(all.getValueAtPercentile(99.9)));
    r.put("maxus", micros(all.getMaxValue()));
    r.put("meanus", round(all.getMean() / 1000.0, 1));
    ObjectNode c = r.putObject("cpu");
    for (Map.Entry<String, Double> e : cpuSeconds.entrySet()) {
      ObjectNode p = c.putObject(e.getKey());
      p.put("seconds", round(e.getValue(), 2));
      p.put("cores", round(e.getValue() / duration, 2));
      p.put("usPerRequest", ok == 0 ? 0 : round(e.getValue() * 1e6 / ok, 1));
    }
    if (!windows.isEmpty()) {
      r.set("windows", windows);
    }
    r.put("otherCores", cpu.otherSeconds() < 0 || ok == 0 ? -1 : round(cpu.otherSeconds() / duration, 2));
    r.put("loadAverage", loadAverage());
    if (firstError != null) {
      r.put("firstError", firstError);
    }
    System.err.printf("loadbench %s: %d ok, %d errors, %.0f req/s, p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", label, ok,
        errors, ok / duration, all.getValueAtPercentile(50) / 1e6, all.getValueAtPercentile(99) / 1e6,
        all.getMaxValue() / 1e6);
    Results.emit(r, results);
    System.exit(ok > 0 ? 0 : 1);
  }

  /** The 1-minute load average (runnable tasks), or -1. */
  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  static double micros(long nanos) {
    return round(nanos / 1000.0, 1);
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  /** One connection and session in a closed loop. */
  private static final class Worker implements Runnable {
    final McpSession session;
    final CountDownLatch ready;
    final CountDownLatch go;
    final long[] window;
    final AtomicReference<String> setupFailure;
    final AtomicInteger opened;
    final int setupMillis;
    final LongAdder completed;
    final Histogram histogram = new Histogram(3);
    /** Paced mode: time between this connection's calls, and its offset in the schedule; 0: closed loop. */
    long intervalNanos;
    long phaseNanos;
    Thread thread;
    long ok;
    long errors;
    String firstError;

    Worker(McpSession session, CountDownLatch ready, CountDownLatch go, long[] window,
        AtomicReference<String> setupFailure, AtomicInteger opened, int setupMillis, LongAdder completed) {
      this.session = session;
      this.completed = completed;
      this.setupMillis = setupMillis;
      this.ready = ready;
      this.go = go;
      this.window = window;
      this.setupFailure = setupFailure;
      this.opened = opened;
    }

    @Override
    public void run() {
      try {
        session.open(setupMillis);
        opened.incrementAndGet();
      } catch (IOException | RuntimeException e) {
        setupFailure.compareAndSet(null, "session setup: " + e);
        ready.countDown();
        return;
      }
      ready.countDown();
      try {
        go.await();
      } catch (InterruptedException e) {
        return;
      }
      long start = window[0];
      long end = window[1];
      long due = System.nanoTime() + phaseNanos;
      while (true) {
        long t0 = System.nanoTime();
        if (intervalNanos > 0) {
          try {
            sleepUntil(due);
          } catch (InterruptedException e) {
            return;
          }
          t0 = due; // latency counts from when the call was due, even if it is sent late
          due += intervalNanos;
        }
        if (t0 >= end) {
          return;
        }
        boolean good;
        String error = null;
        try {
          good = session.callEcho();
          if (!good) {
            error = "unexpected answer to tools/call";
          }
        } catch (IOException | RuntimeException e) {
          good = false;
          error = e.toString();
        }
        long t1 = System.nanoTime();
        if (good) {
          completed.increment();
        }
        if (t0 >= start) {
          if (good) {
            histogram.recordValue(t1 - t0);
            ok++;
          } else {
            errors++;
            if (firstError == null) {
              firstError = error;
            }
          }
        }
        if (!good) {
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }
  }
}
