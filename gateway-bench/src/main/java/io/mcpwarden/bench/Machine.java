package io.mcpwarden.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One line describing the machine a run happened on, for the report. */
final class Machine {
  private Machine() {}

  static String describe() {
    String cpu = "unknown CPU";
    String mem = "";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          mem = ", " + Math.round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0) + " GB RAM";
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: keep what we have.
    }
    String kernel = "";
    try {
      List<String> v = Files.readAllLines(Path.of("/proc/sys/kernel/osrelease"));
      kernel = ", Linux " + v.getFirst().trim();
    } catch (IOException | RuntimeException e) {
      kernel = ", " + System.getProperty("os.name");
    }
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + ")" + mem + kernel + ", JDK "
        + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + ")";
  }
}
