package io.mcpwarden.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders a results file (one JSON record per line, from {@link LoadBench}, {@link StartupProbe},
 * {@link HeapProbe} and run.sh's notes) as the markdown report of one run, targets included.
 *
 * <pre>
 *   Report --results FILE [--out FILE] [--title TEXT]
 * </pre>
 */
public final class Report {
  static final double TARGET_ADDED_P50_MS = 0.5;
  static final double TARGET_ADDED_P99_MS = 3.0;
  static final double TARGET_THROUGHPUT_RATIO = 0.60;
  static final double TARGET_STARTUP_MS = 1500;
  static final double TARGET_HEAP_MB = 256;
  /** Other work on the machine (cores) above which latency figures are flagged as disturbed. */
  static final double BUSY_CORES = 0.3;

  private Report() {}

  public static void main(String[] argv) throws IOException {
    Args a = new Args(argv);
    List<JsonNode> records = new ArrayList<>();
    JsonMapper json = JsonMapper.builder().build();
    for (String line : Files.readAllLines(Path.of(a.required("results")), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        records.add(json.readTree(line));
      }
    }
    String md = render(records, a.get("title", "MCP Warden load benchmark"),
        Files.getLastModifiedTime(Path.of(a.required("results"))).toInstant().toString());
    String out = a.get("out", null);
    if (out != null) {
      Files.writeString(Path.of(out), md, StandardCharsets.UTF_8);
    }
    System.out.print(md);
  }

  /** @param fallbackTime when the records carry no time of their own */
  static String render(List<JsonNode> records, String title, String fallbackTime) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(title).append("\n\n");
    String when = records.stream().map(r -> r.path("time").asString("")).filter(t -> !t.isEmpty()).sorted().findFirst()
        .orElse(fallbackTime);
    md.append("Run ").append(when).append(" on ")
        .append(Machine.describe()).append(".\n\n");

    Map<String, List<JsonNode>> groups = new LinkedHashMap<>();
    for (JsonNode r : records) {
      if (r.path("kind").asString("").equals("load")) {
        groups.computeIfAbsent(r.path("group").asString(""), k -> new ArrayList<>()).add(r);
      }
    }
    List<String> verdicts = new ArrayList<>();
    for (Map.Entry<String, List<JsonNode>> g : groups.entrySet()) {
      loadTable(md, g.getKey(), g.getValue(), verdicts);
    }
    other(md, records, verdicts);
    if (!verdicts.isEmpty()) {
      md.append("## Targets\n\n| target | measured | verdict | conditions |\n|---|---|---|---|\n");
      verdicts.forEach(v -> md.append(v).append('\n'));
      md.append('\n');
    }
    List<JsonNode> notes = records.stream().filter(r -> r.path("kind").asString("").equals("note")).toList();
    if (!notes.isEmpty()) {
      md.append("## Notes from this run\n\n");
      for (JsonNode n : notes) {
        md.append("- **").append(n.path("label").asString("")).append("**: ").append(n.path("text").asString("")).append('\n');
      }
      md.append('\n');
    }
    return md.toString();
  }

  private static void loadTable(StringBuilder md, String group, List<JsonNode> rows, List<String> verdicts) {
    JsonNode base = rows.stream().filter(r -> r.path("role").asString("").equals("baseline")).findFirst().orElse(rows.getFirst());
    JsonNode first = rows.getFirst();
    md.append("## ").append(switch (group) {
      case "http" -> "Gateway overhead: Streamable HTTP upstream, direct vs through the gateway";
      case "stdio" -> "stdio server exposed over Streamable HTTP: gateway vs bridges";
      case "paced" -> "Added latency below saturation: paced load, direct vs through the gateway";
      default -> group;
    }).append("\n\n");
    String loop = first.has("paceRps")
        ? String.format(Locale.ROOT, "%.0f calls/s in total on a fixed schedule (open loop; a call's latency counts from when it was due)", first.path("paceRps").asDouble())
        : "closed loop";
    md.append(String.format(Locale.ROOT, "%d connections, one MCP session each, %s of `tools/call echo` (%d-byte message); "
        + "warm-up as shown, then %.0f s measured. Latency in ms; CPU in µs of CPU time per request (whole process tree); "
        + "other load: CPU cores busy with anything else on the machine during the measured window.%n%n",
        first.path("connections").asInt(), loop, first.path("messageBytes").asInt(), first.path("durationSeconds").asDouble()));
    List<String> cpuNames = new ArrayList<>();
    for (JsonNode r : rows) {
      for (var it = r.path("cpu").propertyNames().iterator(); it.hasNext(); ) {
        String n = it.next();
        if (!cpuNames.contains(n)) {
          cpuNames.add(n);
        }
      }
    }
    md.append("| path | warm-up | req/s | vs ").append(base.path("label").asString("")).append(" | p50 | p90 | p99 | p99.9 | max | errors |");
    cpuNames.forEach(n -> md.append(" CPU ").append(n).append(" |"));
    md.append(" other load (cores) |");
    md.append("\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    cpuNames.forEach(n -> md.append("---:|"));
    md.append("---:|\n");
    for (JsonNode r : rows) {
      md.append("| ").append(r.path("label").asString(""))
          .append(" | ").append(fmt(r.path("warmupSeconds").asDouble(), 0)).append(" s")
          .append(" | ").append(fmt(r.path("rps").asDouble(), 0))
          .append(" | ").append(r == base ? "1.00" : fmt(ratio(r, base), 2))
          .append(" | ").append(ms(r, "p50us")).append(" | ").append(ms(r, "p90us")).append(" | ").append(ms(r, "p99us"))
          .append(" | ").append(ms(r, "p999us")).append(" | ").append(ms(r, "maxus"))
          .append(" | ").append(r.path("errors").asLong()).append(" |");
      for (String n : cpuNames) {
        JsonNode c = r.path("cpu").path(n);
        md.append(' ').append(c.isMissingNode() ? "" : fmt(c.path("usPerRequest").asDouble(), 0)).append(" |");
      }
      double other = r.path("otherCores").asDouble(-1);
      md.append(' ').append(other < 0 ? "?" : fmt(other, 2)).append(" |\n");
    }
    md.append('\n');
    for (JsonNode r : rows) {
      if (r.has("firstError")) {
        md.append("- ").append(r.path("label").asString("")).append(": first error: `").append(r.path("firstError").asString("")).append("`\n");
      }
    }
    for (JsonNode r : rows) {
      JsonNode windows = r.path("windows");
      if (!windows.isArray() || windows.isEmpty()) {
        continue;
      }
      List<String> names = new ArrayList<>();
      windows.get(0).path("cpuUsPerRequest").propertyNames().forEach(names::add);
      md.append("Warm-up of ").append(r.path("label").asString("")).append(", whole run in slices (the measured window is the last ")
          .append(fmt(r.path("durationSeconds").asDouble(), 0)).append(" s): JIT compilation shows as CPU per request that falls as it settles.\n\n");
      md.append("| until s | req/s |");
      names.forEach(n -> md.append(" CPU ").append(n).append(" µs/req |"));
      md.append("\n|---:|---:|");
      names.forEach(n -> md.append("---:|"));
      md.append('\n');
      for (JsonNode w : windows) {
        md.append("| ").append(fmt(w.path("endSeconds").asDouble(), 0)).append(" | ").append(fmt(w.path("rps").asDouble(), 0)).append(" |");
        names.forEach(n -> md.append(' ').append(fmt(w.path("cpuUsPerRequest").path(n).asDouble(), 0)).append(" |"));
        md.append('\n');
      }
      md.append('\n');
    }
    if (group.equals("paced")) {
      for (JsonNode r : rows) {
        if (r != base) {
          md.append(String.format(Locale.ROOT, "**Added by %s at %.0f calls/s:** p50 %+.3f ms, p99 %+.3f ms (not the issue's target, which is at 16 connections in a closed loop).%n%n",
              r.path("label").asString(""), r.path("paceRps").asDouble(), (r.path("p50us").asDouble() - base.path("p50us").asDouble()) / 1000,
              (r.path("p99us").asDouble() - base.path("p99us").asDouble()) / 1000));
        }
      }
    }
    if (group.equals("http")) {
      for (JsonNode r : rows) {
        if (r == base) {
          continue;
        }
        double addP50 = (r.path("p50us").asDouble() - base.path("p50us").asDouble()) / 1000;
        double addP99 = (r.path("p99us").asDouble() - base.path("p99us").asDouble()) / 1000;
        double ratio = ratio(r, base);
        md.append(String.format(Locale.ROOT, "**Added by %s:** p50 %+.3f ms, p99 %+.3f ms; throughput %.0f%% of direct.%n%n",
            r.path("label").asString(""), addP50, addP99, ratio * 100));
        if (!r.path("role").asString("").equals("subject")) {
          continue;
        }
        int c = r.path("connections").asInt();
        double busy = Math.max(base.path("otherCores").asDouble(0), r.path("otherCores").asDouble(0));
        String when = busy > BUSY_CORES
            ? "machine busy: up to " + fmt(busy, 2) + " cores of other work during these rows, so tail latencies are not clean"
            : "other work ≤ " + fmt(busy, 2) + " cores";
        verdicts.add(verdict("added p50 at " + c + " connections ≤ " + TARGET_ADDED_P50_MS + " ms", fmt(addP50, 3) + " ms", addP50 <= TARGET_ADDED_P50_MS, when));
        verdicts.add(verdict("added p99 at " + c + " connections ≤ " + TARGET_ADDED_P99_MS + " ms", fmt(addP99, 3) + " ms", addP99 <= TARGET_ADDED_P99_MS, when));
        verdicts.add(verdict("throughput ≥ " + (int) (TARGET_THROUGHPUT_RATIO * 100) + "% of direct", fmt(ratio * 100, 0) + "%", ratio >= TARGET_THROUGHPUT_RATIO, when));
      }
    }
  }

  private static void other(StringBuilder md, List<JsonNode> records, List<String> verdicts) {
    List<JsonNode> startups = records.stream().filter(r -> r.path("kind").asString("").equals("startup")).toList();
    List<JsonNode> heaps = records.stream().filter(r -> r.path("kind").asString("").equals("heap")).toList();
    if (startups.isEmpty() && heaps.isEmpty()) {
      return;
    }
    md.append("## Start-up and idle sessions\n\n| measure | value | detail |\n|---|---:|---|\n");
    // A verdict per way of starting: plain `java -jar` and the launcher users run (with its AOT cache).
    for (JsonNode s : startups) {
      String runs = s.path("runsMs").toString().replace(",", ", ");
      md.append("| start → first initialize, ").append(s.path("label").asString("")).append(" (median) | ")
          .append(s.has("medianMs") ? fmt(s.path("medianMs").asDouble(), 0) + " ms" : "failed").append(" | runs ").append(runs)
          .append(s.has("firstError") ? "; " + s.path("firstError").asString("") : "").append(" |\n");
      if (s.has("medianMs")) {
        double m = s.path("medianMs").asDouble();
        verdicts.add(verdict("start to first served request ≤ " + (int) TARGET_STARTUP_MS + " ms (" + s.path("label").asString("") + ")",
            fmt(m, 0) + " ms", m <= TARGET_STARTUP_MS,
            s.has("loadAverage") ? "1-minute load average " + fmt(s.path("loadAverage").asDouble(), 1) + " at the end of the probe" : ""));
      }
    }
    for (JsonNode h : heaps) {
      md.append("| heap used after GC, ").append(h.path("sessions").asInt()).append(" idle sessions, ").append(h.path("label").asString(""))
          .append(" | ").append(fmt(h.path("usedMB").asDouble(), 1)).append(" MB | baseline ").append(fmt(h.path("baselineUsedMB").asDouble(), 1))
          .append(" MB, ").append(fmt(h.path("perSessionKB").asDouble(), 1)).append(" KB/session; committed ")
          .append(fmt(h.path("committedMB").asDouble(), 0)).append(" MB; RSS ").append(fmt(h.path("rssBaselineMB").asDouble(), 0))
          .append(" → ").append(fmt(h.path("rssMB").asDouble(), 0)).append(" MB; opened in ").append(fmt(h.path("openSeconds").asDouble(), 1))
          .append(" s").append(h.has("firstError") ? "; first error: " + h.path("firstError").asString("") : "").append(" |\n");
      double used = h.path("usedMB").asDouble();
      verdicts.add(verdict("heap with 1,000 idle sessions ≤ " + (int) TARGET_HEAP_MB + " MB (" + h.path("label").asString("") + ")",
          fmt(used, 1) + " MB" + (h.path("sessions").asInt() < 1000 ? " (only " + h.path("sessions").asInt() + " sessions opened)" : ""),
          used <= TARGET_HEAP_MB && h.path("sessions").asInt() >= 1000));
    }
    md.append('\n');
  }

  private static double ratio(JsonNode r, JsonNode base) {
    double b = base.path("rps").asDouble();
    return b == 0 ? 0 : r.path("rps").asDouble() / b;
  }

  private static String verdict(String target, String measured, boolean met) {
    return verdict(target, measured, met, "");
  }

  private static String verdict(String target, String measured, boolean met, String conditions) {
    return "| " + target + " | " + measured + " | " + (met ? "met" : "**missed**") + " | " + conditions + " |";
  }

  private static String ms(JsonNode r, String field) {
    return fmt(r.path(field).asDouble() / 1000, 3);
  }

  static String fmt(double v, int digits) {
    return String.format(Locale.ROOT, "%." + digits + "f", v);
  }
}
