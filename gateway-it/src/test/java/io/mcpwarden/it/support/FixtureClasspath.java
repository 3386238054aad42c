package io.mcpwarden.it.support;

import io.mcpwarden.it.fixture.ScriptedServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The classpath and JVM options of fixture child processes, with a class-data-sharing archive so
 * that each of the many short-lived fixture JVMs starts in about half the time.
 *
 * <p>CDS refuses directories on the classpath, so the fixture classes are packed into a jar (byte
 * for byte stable, so the archive stays valid between runs); gateway jars are left out, which also
 * keeps fixtures independent of whatever gateway build is installed. Any failure falls back to the
 * plain test classpath without CDS: slower, never wrong.
 */
final class FixtureClasspath {
  static final FixtureClasspath INSTANCE = build();

  private final List<String> jvmOptions;

  private FixtureClasspath(List<String> jvmOptions) {
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  List<String> jvmOptions() {
    return jvmOptions;
  }

  private static List<String> baseOptions() {
    // Unified logging (CDS warnings included) must never reach stdout: in stdio mode it is JSON-RPC.
    return List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xlog:disable",
        "-Xlog:all=warning:stderr");
  }

  private static FixtureClasspath build() {
    String plain = System.getProperty("java.class.path");
    try {
      Path fixtureDir = Path.of(ScriptedServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isDirectory(fixtureDir)) {
        return plainClasspath(plain);
      }
      Path work = fixtureDir.getParent().resolve("scripted-fixture");
      Files.createDirectories(work);
      Path jar = work.resolve("fixture.jar");
      writeIfChanged(jar, fixtureJar(fixtureDir));
      List<String> entries = new ArrayList<>();
      entries.add(jar.toString());
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(Files.readAllBytes(jar));
      for (String e : plain.split(File.pathSeparator)) {
        Path p = Path.of(e);
        if (e.isBlank() || Files.isDirectory(p) || e.contains("/io/mcpwarden/") || p.getFileName().toString().startsWith("gateway-")) {
          continue;
        }
        entries.add(e);
        digest.update((e + ":" + Files.size(p) + ":" + Files.getLastModifiedTime(p).toMillis() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      String classpath = String.join(File.pathSeparator, entries);
      Path archive = work.resolve("fixture-" + HexFormat.of().formatHex(digest.digest(), 0, 6) + ".jsa");
      if (!Files.exists(archive) && !train(classpath, archive)) {
        return new FixtureClasspath(concat(baseOptions(), List.of("-cp", classpath)));
      }
      return new FixtureClasspath(concat(baseOptions(), List.of("-XX:SharedArchiveFile=" + archive, "-cp", classpath)));
    } catch (Exception e) {
      System.err.println("fixture CDS disabled: " + e);
      return plainClasspath(plain);
    }
  }

  private static FixtureClasspath plainClasspath(String classpath) {
    return new FixtureClasspath(concat(baseOptions(), List.of("-cp", classpath)));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** The fixture package as a jar with fixed entry times and order, so equal classes give equal bytes. */
  private static byte[] fixtureJar(Path classesRoot) throws IOException {
    Path pkg = classesRoot.resolve(ScriptedServer.class.getPackageName().replace('.', '/'));
    List<Path> files;
    try (Stream<Path> walk = Files.walk(pkg)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes)) {
      for (Path f : files) {
        JarEntry entry = new JarEntry(classesRoot.relativize(f).toString().replace(File.separatorChar, '/'));
        entry.setTime(0);
        jar.putNextEntry(entry);
        jar.write(Files.readAllBytes(f));
        jar.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static void writeIfChanged(Path file, byte[] content) throws IOException {
    if (Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), content)) {
      return;
    }
    Path tmp = Files.createTempFile(file.getParent(), "fixture", ".tmp");
    Files.write(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Runs the fixture once through a typical exchange and dumps the classes it loaded. */
  private static boolean train(String classpath, Path archive) throws IOException, InterruptedException {
    // Per-process name: another test JVM may be training the same archive right now.
    Path tmp = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(tmp);
    List<String> cmd = new ArrayList<>();
    cmd.add(ScriptedProcess.JAVA);
    cmd.addAll(baseOptions());
    cmd.addAll(List.of("-XX:ArchiveClassesAtExit=" + tmp, "-cp", classpath, ScriptedServer.class.getName(),
        "--name", "training", "--tools", "search"));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (OutputStream in = p.getOutputStream()) {
      String[] lines = {
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
            + "\"capabilities\":{},\"clientInfo\":{\"name\":\"training\",\"version\":\"1\"}}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\",\"arguments\":{}}}",
        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"resources/list\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"prompts/get\",\"params\":{\"name\":\"greet\",\"arguments\":{\"who\":\"x\"}}}",
      };
      for (String line : lines) {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      in.flush();
      // Wait for the last answer, so every path has run before stdin closes and the JVM exits.
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.contains("\"id\":5")) {
        // skip earlier answers
      }
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return false;
    }
    if (!Files.exists(tmp)) {
      return false;
    }
    Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return true;
  }
}
