package io.mcpwarden.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time used by named process trees between two instants.
 *
 * <p>On two cores the client, the gateway and the upstream share the CPU, so throughput alone
 * hides who pays; CPU time per request shows the gateway's own cost directly. Children count
 * (a bridge that spawns a server per session pays for them), as does the load generator itself.
 */
final class CpuWatch {
  private final Map<String, Long> pids;
  private Map<String, Long> startNanos = Map.of();
  private long startBusyNanos;
  private double otherSeconds;

  /** @param pids label to root pid; the current process is always watched as "loadgen" */
  CpuWatch(Map<String, Long> pids) {
    this.pids = new LinkedHashMap<>(pids);
    this.pids.put("loadgen", ProcessHandle.current().pid());
  }

  void start() {
    startBusyNanos = systemBusyNanos();
    startNanos = sample();
  }

  /** CPU seconds used by each tree since {@link #start}. */
  Map<String, Double> stop() {
    Map<String, Long> end = sample();
    long busy = systemBusyNanos() - startBusyNanos;
    Map<String, Double> used = new LinkedHashMap<>();
    double watched = 0;
    for (Map.Entry<String, Long> e : end.entrySet()) {
      double s = (e.getValue() - startNanos.getOrDefault(e.getKey(), 0L)) / 1e9;
      used.put(e.getKey(), s);
      watched += s;
    }
    otherSeconds = startBusyNanos < 0 || busy < 0 ? -1 : Math.max(0, busy / 1e9 - watched);
    return used;
  }

  /**
   * CPU seconds the whole machine spent on anything but the watched trees in the last window
   * (other users' builds, the kernel's own work beyond what it charges to processes), or -1 when
   * unknown. On a shared machine this says how much the figures were disturbed.
   */
  double otherSeconds() {
    return otherSeconds;
  }

  /** Non-idle CPU time of the whole machine from /proc/stat, or -1 off Linux. */
  static long systemBusyNanos() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
      long busy = 0;
      // cpu user nice system idle iowait irq softirq steal ...: everything but idle and iowait
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy * 10_000_000L; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private Map<String, Long> sample() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      out.put(e.getKey(), treeCpuNanos(e.getValue()));
    }
    return out;
  }

  /** CPU of a process and its live descendants (a child that exited meanwhile is lost). */
  static long treeCpuNanos(long pid) {
    Optional<ProcessHandle> root = ProcessHandle.of(pid);
    if (root.isEmpty()) {
      return 0;
    }
    long total = cpu(root.get());
    total += root.get().descendants().mapToLong(CpuWatch::cpu).sum();
    return total;
  }

  private static long cpu(ProcessHandle p) {
    return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }
}
