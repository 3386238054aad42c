package io.mcpwarden.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * A real Keycloak ({@code keycloak-quarkus-dist}, unpacked by the gateway-it build) started in
 * development mode on a free loopback port, with its admin REST API for setting up realms.
 *
 * <p>It exists so the gateway is tested against an identity provider it was not written
 * alongside. Keycloak is a separate process tree ({@code kc.sh} and its JVM); it is stopped by
 * PID in {@link #close()}, by a shutdown hook if the test JVM exits first, and, should the test
 * JVM have been killed outright, at the next start through the PID file it leaves in
 * {@code target/}.
 */
public final class KeycloakServer implements AutoCloseable {
  /** System property naming the unpacked distribution (set by the gateway-it pom). */
  public static final String HOME_PROPERTY = "keycloak.home";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Path home;
  private final Process process;
  private final int port;
  private final Path log;
  private final Path pidFile;
  private final String adminPassword;
  private final Thread shutdownHook;

  private KeycloakServer(Path home, Process process, int port, Path log, Path pidFile, String adminPassword) {
    this.home = home;
    this.process = process;
    this.port = port;
    this.log = log;
    this.pidFile = pidFile;
    this.adminPassword = adminPassword;
    this.shutdownHook = new Thread(this::stop, "keycloak-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * The unpacked distribution, or empty with the reason why not (property unset, or the build
   * skipped the unpack with {@code -Dkeycloak.skip}).
   */
  public static Distribution distribution() {
    String prop = System.getProperty(HOME_PROPERTY);
    if (prop == null || prop.isBlank()) {
      return new Distribution(null, "system property " + HOME_PROPERTY + " is not set (run through Maven: "
          + "the gateway-it build unpacks org.keycloak:keycloak-quarkus-dist into target/keycloak)");
    }
    Path home = Path.of(prop);
    if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
      return new Distribution(null, "no Keycloak distribution at " + home + " (the build skipped the unpack, "
          + "e.g. -Dkeycloak.skip=true, or org.keycloak:keycloak-quarkus-dist could not be downloaded)");
    }
    return new Distribution(home, null);
  }

  /**
   * Where the distribution is, or why there is none.
   *
   * @param home the directory holding {@code bin/kc.sh}, or null
   * @param unavailable why there is none, or null
   */
  public record Distribution(Path home, String unavailable) {}

  /**
   * Starts {@code kc.sh start-dev} with an in-memory database and a bootstrap admin, and waits
   * until the master realm answers.
   *
   * @param timeout how long start-up may take (the first start after unpacking also rebuilds
   *     Keycloak for development mode, which takes a minute or more on a busy machine)
   */
  public static KeycloakServer start(Path home, Duration timeout) {
    Path pidFile = home.getParent().resolve("keycloak.pid");
    killLeftover(pidFile, home);
    int port = freePort();
    int managementPort = freePort();
    String password = "admin-" + UUID.randomUUID();
    Path log = home.getParent().resolve("keycloak-" + port + ".log");
    ProcessBuilder pb = new ProcessBuilder("sh", home.resolve("bin/kc.sh").toString(), "start-dev",
        "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + managementPort, "--db=dev-mem")
        .directory(home.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.remove("JAVA_OPTS");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
    env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", password);
    // A test server needs no C2 compiler: C1 only starts noticeably faster on a busy machine.
    env.put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");
    Process p;
    try {
      p = pb.start();
      Files.writeString(pidFile, p.pid() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Keycloak from " + home, e);
    }
    KeycloakServer kc = new KeycloakServer(home, p, port, log, pidFile, password);
    try {
      kc.awaitReady(timeout);
      // Also record the JVM's PID: it would survive kc.sh if only kc.sh were killed.
      Files.writeString(pidFile, p.descendants().map(h -> h.pid() + "\n").collect(Collectors.joining()), StandardOpenOption.APPEND);
    } catch (IOException e) {
      kc.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      kc.close();
      throw e;
    }
    return kc;
  }

  private void awaitReady(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    URI probe = URI.create(baseUrl() + "/realms/master/.well-known/openid-configuration");
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Keycloak exited with " + process.exitValue() + " before it was ready:\n" + logTail());
      }
      try {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        process.waitFor(500, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("Keycloak not ready within " + timeout + ":\n" + logTail());
  }

  /** The last lines of Keycloak's log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The issuer identifier of a realm, as Keycloak puts it in {@code iss}. */
  public String issuer(String realm) {
    return baseUrl() + "/realms/" + realm;
  }

  /** The PID of {@code kc.sh} (Keycloak's JVM is its child). */
  public long pid() {
    return process.pid();
  }

  // ------------------------------------------------------------------ admin REST API

  private String adminToken() {
    JsonNode t = token("master", Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin",
        "password", adminPassword));
    return t.path("access_token").asString();
  }

  /**
   * POSTs a JSON representation to the admin API ({@code /admin/realms...}).
   *
   * @return the id of the created object (the last segment of {@code Location}), or null
   */
  public String adminPost(String path, Object representation) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/realms" + path))
        .header("Authorization", "Bearer " + adminToken())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(RawMcp.JSON.writeValueAsString(representation))));
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("POST /admin/realms" + path + ": " + r.statusCode() + " " + r.body());
    }
    Optional<String> location = r.headers().firstValue("Location");
    return location.map(l -> l.substring(l.lastIndexOf('/') + 1)).orElse(null);
  }

  /** GETs a JSON document from the admin API. */
  public JsonNode adminGet(String path) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/realms" + path))
        .header("Authorization", "Bearer " + adminToken()).GET());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET /admin/realms" + path + ": " + r.statusCode() + " " + r.body());
    }
    return RawMcp.JSON.readTree(r.body());
  }

  /** A token response from a realm's token endpoint (fails on anything but 200). */
  public JsonNode token(String realm, Map<String, String> form) {
    HttpResponse<String> r = postForm(URI.create(issuer(realm) + "/protocol/openid-connect/token"), form);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("token request to realm " + realm + ": " + r.statusCode() + " " + r.body());
    }
    return RawMcp.JSON.readTree(r.body());
  }

  /** POSTs a form ({@code application/x-www-form-urlencoded}). */
  public static HttpResponse<String> postForm(URI uri, Map<String, String> form) {
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A JSON object from alternating keys and values, keys in order. */
  public static Map<String, Object> object(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  // ------------------------------------------------------------------ stopping

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down; the hook runs stop() again, which is harmless
    }
  }

  /** Stops kc.sh and its JVM: TERM (kc.sh forwards it), then KILL after a grace period. */
  private void stop() {
    stopTree(process.toHandle());
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      // a stale file names a dead PID; the next start checks before killing anything
    }
  }

  private static void stopTree(ProcessHandle root) {
    List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
    tree.add(root);
    tree.forEach(ProcessHandle::destroy);
    Instant deadline = Instant.now().plus(STOP_TIMEOUT);
    for (ProcessHandle h : tree) {
      try {
        long left = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
        h.onExit().get(left, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
  }

  /**
   * Kills a Keycloak left running by a test JVM that was killed outright, named by the PID file,
   * but only if that PID is still a process started from this same distribution.
   */
  private static void killLeftover(Path pidFile, Path home) {
    if (!Files.exists(pidFile)) {
      return;
    }
    try {
      for (String line : Files.readAllLines(pidFile)) {
        if (!line.isBlank()) {
          ProcessHandle.of(Long.parseLong(line.strip()))
              .filter(h -> h.info().commandLine().map(c -> c.contains(home.toString())).orElse(false))
              .ifPresent(KeycloakServer::stopTree);
        }
      }
      Files.deleteIfExists(pidFile);
    } catch (IOException | NumberFormatException e) {
      // unreadable: nothing to kill
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "Keycloak at " + baseUrl() + " (pid " + pid() + ", " + home + ")";
  }
}
