package io.mcpwarden.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ObjectNode;

/**
 * Live heap of a running server holding many idle MCP sessions.
 *
 * <pre>
 *   HeapProbe --url URL --pid PID --label NAME [--sessions 1000] [--concurrency 8] [--results FILE]
 * </pre>
 *
 * <p>Measures the heap used after a full GC ({@code jcmd PID GC.run}, then {@code GC.heap_info})
 * before and after opening the sessions (initialize + initialized, then the connection is closed
 * without DELETE, so each session stays until the server expires it), and the process RSS.
 */
public final class HeapProbe {
  private static final Pattern USED = Pattern.compile("used (\\d+)K");
  private static final Pattern COMMITTED = Pattern.compile("committed (\\d+)K");

  private HeapProbe() {}

  public static void main(String[] argv) throws Exception {
    Args a = new Args(argv);
    URI url = URI.create(a.required("url"));
    long pid = Long.parseLong(a.required("pid"));
    String label = a.required("label");
    int sessions = a.integer("sessions", 1000);
    int concurrency = a.integer("concurrency", 8);
    String results = a.get("results", null);

    long[] before = heapAfterGc(pid);
    long rssBefore = rssKb(pid);
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    AtomicReference<String> firstError = new AtomicReference<>();
    long t0 = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
      for (int t = 0; t < concurrency; t++) {
        pool.execute(() -> {
          while (next.getAndIncrement() < sessions) {
            try (McpSession s = new McpSession(url, 30_000, 16, "idle")) {
              s.open();
              opened.incrementAndGet();
            } catch (IOException | RuntimeException e) {
              firstError.compareAndSet(null, e.toString());
            }
          }
        });
      }
      pool.shutdown();
      pool.awaitTermination(5, TimeUnit.MINUTES);
    }
    double openSeconds = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(1000); // let per-session background work (standalone streams) settle
    long[] after = heapAfterGc(pid);
    long rssAfter = rssKb(pid);

    ObjectNode r = Results.record("heap", "heap", label);
    r.put("sessions", opened.get());
    r.put("openSeconds", LoadBench.round(openSeconds, 2));
    r.put("baselineUsedMB", LoadBench.round(before[0] / 1024.0, 1));
    r.put("usedMB", LoadBench.round(after[0] / 1024.0, 1));
    r.put("committedMB", LoadBench.round(after[1] / 1024.0, 1));
    r.put("perSessionKB", opened.get() == 0 ? 0 : LoadBench.round((after[0] - before[0]) / (double) opened.get(), 1));
    r.put("rssBaselineMB", LoadBench.round(rssBefore / 1024.0, 1));
    r.put("rssMB", LoadBench.round(rssAfter / 1024.0, 1));
    if (firstError.get() != null) {
      r.put("firstError", firstError.get());
    }
    System.err.printf("heap %s: %d sessions, heap used %.1f MB -> %.1f MB after GC, RSS %.1f MB%n", label, opened.get(),
        before[0] / 1024.0, after[0] / 1024.0, rssAfter / 1024.0);
    Results.emit(r, results);
  }

  /** {used, committed} heap in KiB after a full GC. */
  static long[] heapAfterGc(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    for (String line : info.split("\n")) {
      if (line.contains("heap") && line.contains("used")) {
        Matcher u = USED.matcher(line);
        Matcher c = COMMITTED.matcher(line);
        if (u.find()) {
          return new long[] {Long.parseLong(u.group(1)), c.find() ? Long.parseLong(c.group(1)) : -1};
        }
      }
    }
    throw new IOException("cannot read heap use from jcmd GC.heap_info:\n" + info);
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process p = new ProcessBuilder(jcmd, String.valueOf(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("jcmd " + pid + " " + command + " failed:\n" + out);
    }
    return out;
  }

  static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Not Linux, or the process is gone: reported as 0.
    }
    return 0;
  }
}
