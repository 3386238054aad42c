package io.mcpwarden.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Time from launching a server process to its first successful MCP initialize, repeated.
 *
 * <pre>
 *   StartupProbe --label NAME --url http://127.0.0.1:{port}/mcp [--runs 5] [--timeout 30]
 *                [--results FILE] [--log FILE] -- command args... ({port} is replaced)
 * </pre>
 *
 * <p>Each run picks a free loopback port, starts the command, polls with initialize every 5 ms
 * (connection refused means "not yet"), then kills the process.
 * The figure is process launch to initialize result received, as a user would see it.
 */
public final class StartupProbe {
  private StartupProbe() {}

  public static void main(String[] argv) throws Exception {
    Args a = new Args(argv);
    String label = a.required("label");
    String urlPattern = a.required("url");
    int runs = a.integer("runs", 5);
    double timeout = a.number("timeout", 30);
    String results = a.get("results", null);
    String log = a.get("log", null);
    List<String> command = a.command();
    if (command.isEmpty()) {
      throw new IllegalArgumentException("no command after --");
    }
    List<Double> millis = new ArrayList<>();
    String failure = null;
    for (int run = 0; run < runs; run++) {
      int port = freePort();
      List<String> cmd = command.stream().map(s -> s.replace("{port}", String.valueOf(port))).toList();
      URI url = URI.create(urlPattern.replace("{port}", String.valueOf(port)));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.PIPE);
      if (log != null) {
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(new File(log)));
      } else {
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      }
      long t0 = System.nanoTime();
      Process p = pb.start();
      try {
        long deadline = t0 + (long) (timeout * 1e9);
        Double took = null;
        while (System.nanoTime() < deadline && p.isAlive()) {
          try (McpSession s = new McpSession(url, 30_000, 16, "startup")) {
            s.open();
            took = (s.initializedAt() - t0) / 1e6;
            break;
          } catch (IOException e) {
            Thread.sleep(5);
          }
        }
        if (took == null) {
          failure = p.isAlive() ? "no initialize answer within " + timeout + " s" : "process exited with " + p.exitValue();
          System.err.println("startup " + label + " run " + (run + 1) + ": " + failure);
        } else {
          millis.add(took);
          System.err.printf("startup %s run %d: %.0f ms%n", label, run + 1, took);
        }
      } finally {
        stop(p);
      }
    }
    ObjectNode r = Results.record("startup", "startup", label);
    ArrayNode all = r.putArray("runsMs");
    millis.forEach(m -> all.add(LoadBench.round(m, 1)));
    List<Double> sorted = millis.stream().sorted().toList();
    if (!sorted.isEmpty()) {
      r.put("medianMs", LoadBench.round(sorted.get(sorted.size() / 2), 1));
      r.put("minMs", LoadBench.round(sorted.getFirst(), 1));
      r.put("maxMs", LoadBench.round(sorted.getLast(), 1));
    }
    r.put("command", String.join(" ", command));
    r.put("loadAverage", LoadBench.round(LoadBench.loadAverage(), 2));
    if (failure != null) {
      r.put("firstError", failure);
    }
    Results.emit(r, results);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Kills a process this probe started, and any children it started: only its start-up matters
   * here, and a graceful stop would only make the probe slower.
   */
  static void stop(Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }
}
