package io.mcpwarden.server.config;

import io.mcpwarden.core.config.AuditConfig;
import io.mcpwarden.core.config.AuthConfig;
import io.mcpwarden.core.config.CallLimitsConfig;
import io.mcpwarden.core.config.ContentConfig;
import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.HttpConfig;
import io.mcpwarden.core.config.IntegrityConfig;
import io.mcpwarden.core.config.LimitsConfig;
import io.mcpwarden.core.config.ListenConfig;
import io.mcpwarden.core.config.PolicyConfig;
import io.mcpwarden.core.config.SecretsConfig;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.config.SessionConfig;
import io.mcpwarden.core.config.StdioConfig;
import io.mcpwarden.core.config.UpstreamAuthConfig;
import io.mcpwarden.core.secret.SecretStore;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a YAML configuration file into an immutable {@link GatewayConfig}, checking every key.
 *
 * <p>All problems are collected with their YAML path and reported together; unknown keys are
 * errors, so a typo never silently falls back to a default. Safe defaults apply where a key is
 * absent: loopback bind, loopback-only Host and Origin, bounded sizes.
 */
public final class ConfigLoader {
  /** Server names: used as tool-name prefixes, so only tool-name characters. */
  static final Pattern SERVER_NAME = Pattern.compile("^[A-Za-z0-9_-]{1,32}$");
  static final Pattern SEPARATOR = Pattern.compile("^[_.-]{1,2}$");
  /** A prefix longer than this leaves too little of the 64 characters for the tool's own name. */
  static final int MAX_PREFIX = 32;
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

  private final Map<String, String> environment;
  private final Path home;

  /**
   * @param environment where {@code ${env:NAME}} placeholders are looked up
   * @param home value of {@code ${warden.home}} (the installation directory)
   */
  public ConfigLoader(Map<String, String> environment, Path home) {
    this.environment = environment;
    this.home = home;
  }

  /** A loader using the process environment and {@code WARDEN_HOME} (or the working directory). */
  public static ConfigLoader fromEnvironment() {
    String h = System.getenv("WARDEN_HOME");
    return new ConfigLoader(System.getenv(), Path.of(h == null || h.isBlank() ? "." : h).toAbsolutePath().normalize());
  }

  public GatewayConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of(new ConfigError("", "cannot read file: " + e.getMessage())));
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), dir == null ? Path.of(".") : dir);
  }

  public GatewayConfig parse(String yaml, String source, Path configDir) {
    List<ConfigError> errors = new ArrayList<>();
    Object doc;
    try {
      LoadSettings settings = LoadSettings.builder().setLabel(source).setAllowDuplicateKeys(false).setMaxAliasesForCollections(10).build();
      doc = new Load(settings).loadFromString(yaml);
    } catch (YamlEngineException e) {
      throw new ConfigException(source, List.of(new ConfigError("", "not valid YAML: " + e.getMessage())));
    }
    if (doc == null) {
      doc = Map.of();
    }
    YamlNode root = new YamlNode("", doc, errors);
    if (!root.isMap()) {
      throw new ConfigException(source, List.of(new ConfigError("", "the document must be a mapping")));
    }
    Placeholders ph = new Placeholders(configDir);
    ListenConfig listen = listen(root.get("listen"), ph);
    LimitsConfig limits = limits(root.get("limits"));
    SessionConfig sessions = sessions(root.get("sessions"), ph);
    AuditConfig audit = audit(root.get("audit"), ph);
    YamlNode sepNode = root.get("tool-separator");
    String sep = sepNode.string("_");
    if (!SEPARATOR.matcher(sep).matches()) {
      sepNode.error("must be one or two of '_', '.', '-' (tool names may only hold A-Z a-z 0-9 _ . -)");
      sep = "_";
    }
    int pageSize = root.get("page-size").integer(100, 1, 10_000);
    SecretsConfig secrets = secrets(root.get("secrets"), ph);
    List<ServerConfig> servers = servers(root.get("servers"), sep, ph);
    for (ServerConfig sc : servers) {
      if (sc.stdio() != null && sc.stdio().envPassthrough().contains(secrets.keyEnv())) {
        errors.add(new ConfigError("servers." + sc.name() + ".env-passthrough",
            secrets.keyEnv() + " holds the secret store key and is never passed to a server"));
      }
    }
    AuthConfig auth = new AuthConfigReader(ph::expand, environment, home).read(root.get("auth"), listen, servers);
    IntegrityConfig integrity = new IntegrityConfigReader(ph::expand, home).read(root.get("integrity"));
    PolicyConfig policy = new PolicyConfigReader(ph::expand, home).read(root.get("policy"), servers);
    ContentConfig content = new ContentConfigReader(ph::expand, home).read(root.get("content"));
    root.rejectUnknownKeys();
    if (!errors.isEmpty()) {
      throw new ConfigException(source, errors);
    }
    return new GatewayConfig(listen, limits, sessions, audit, sep, pageSize, servers, auth, secrets, integrity, policy, content);
  }

  private ListenConfig listen(YamlNode n, Placeholders ph) {
    String host = n.get("host").string("127.0.0.1");
    int port = n.get("port").integer(7700, 0, 65535);
    YamlNode pathNode = n.get("path");
    String path = pathNode.string("/mcp");
    if (!path.startsWith("/") || path.contains("?") || path.contains("#")) {
      pathNode.error("must be an absolute path such as /mcp");
    }
    YamlNode hostsNode = n.get("allowed-hosts");
    List<String> hosts = hostsNode.strings(List.of()).stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    YamlNode originsNode = n.get("allowed-origins");
    List<String> origins = originsNode.strings(List.of());
    for (String o : origins) {
      if (!o.matches("^https?://[^/\\s]+$")) {
        originsNode.error("'" + o + "' is not an origin such as https://app.example.com (scheme://host[:port], no path)");
      }
    }
    if (!isLoopback(host) && hosts.isEmpty()) {
      hostsNode.error("must list the host names clients use when listening on the non-loopback address " + host
          + " (an empty list would accept any Host and leave DNS rebinding open)");
    }
    TlsConfigReader.Listen tls = new TlsConfigReader(ph::expand, home).listen(n, host);
    n.rejectUnknownKeys();
    return new ListenConfig(host, port, path, hosts, origins, tls.tls(), tls.allowInsecureHttp());
  }

  static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      if (!host.matches("^[0-9.]+$") && !host.contains(":")) {
        return false; // never resolve names here: the check must not depend on DNS
      }
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static LimitsConfig limits(YamlNode n) {
    LimitsConfig l = new LimitsConfig(
        n.get("max-body-bytes").longValue(4L * 1024 * 1024, 1024, 1L << 30),
        n.get("max-json-depth").integer(64, 4, 1000),
        n.get("max-header-bytes").integer(16 * 1024, 1024, 1 << 20),
        n.get("max-sse-streams-per-session").integer(4, 1, 1000),
        n.get("max-sessions").integer(10_000, 1, 10_000_000),
        n.get("sse-replay-events").integer(256, 0, 100_000),
        n.get("max-pending-per-session").integer(64, 1, 100_000),
        calls(n));
    n.rejectUnknownKeys();
    return l;
  }

  /** Rate, concurrency and result-size limits on routed requests (keys under {@code limits}). */
  private static CallLimitsConfig calls(YamlNode n) {
    YamlNode rate = n.get("rate");
    CallLimitsConfig.Rate perUser = rate(rate.get("per-user"));
    CallLimitsConfig.Rate perTool = rate(rate.get("per-tool"));
    CallLimitsConfig.Rate perServer = rate(rate.get("per-server"));
    Map<String, CallLimitsConfig.Rate> tools = new LinkedHashMap<>();
    YamlNode toolsNode = rate.get("tools");
    if (!toolsNode.isMissing()) {
      toolsNode.entries().forEach((name, r) -> {
        CallLimitsConfig.Rate parsed = rate(r);
        if (r.isMissing()) {
          r.error("needs capacity and refill-per-second");
        } else if (parsed != null) {
          tools.put(name, parsed);
        }
      });
    }
    int maxTracked = rate.get("max-tracked-keys").integer(CallLimitsConfig.DEFAULT_MAX_TRACKED_KEYS, 100, 10_000_000);
    rate.rejectUnknownKeys();
    return new CallLimitsConfig(perUser, perTool, perServer, tools, maxTracked,
        n.get("max-concurrent-per-user").integer(CallLimitsConfig.DEFAULT_MAX_CONCURRENT_PER_USER, 1, 1_000_000),
        n.get("max-concurrent-per-server").integer(CallLimitsConfig.DEFAULT_MAX_CONCURRENT_PER_SERVER, 1, 1_000_000),
        n.get("max-result-bytes").longValue(CallLimitsConfig.DEFAULT_MAX_RESULT_BYTES, 1024, 1L << 30));
  }

  /** A token bucket {@code {capacity, refill-per-second}}; null when absent or invalid (reported). */
  private static CallLimitsConfig.Rate rate(YamlNode n) {
    if (n.isMissing()) {
      return null;
    }
    if (!n.isMap()) {
      n.error("must be a mapping such as { capacity: 20, refill-per-second: 5 }");
      return null;
    }
    YamlNode capNode = n.get("capacity");
    long capacity = capNode.longValue(-1, 1, 1_000_000_000);
    if (capNode.isMissing()) {
      capNode.error("required: the most requests allowed in a burst");
    }
    YamlNode refillNode = n.get("refill-per-second");
    double refill = -1;
    if (refillNode.raw() instanceof Number num && !(num instanceof BigInteger)) {
      refill = num.doubleValue();
    }
    if (!(refill > 0 && refill <= 1e9)) {
      refillNode.error(refillNode.isMissing() ? "required: requests regained per second, e.g. 5 or 0.5"
          : "must be a number above 0 and at most 1e9, e.g. 5 or 0.5 (was " + refillNode.raw() + ")");
    }
    n.rejectUnknownKeys();
    return capacity >= 1 && refill > 0 && refill <= 1e9 ? new CallLimitsConfig.Rate(capacity, refill) : null;
  }

  private SessionConfig sessions(YamlNode n, Placeholders ph) {
    SessionConfig s = new SessionConfig(n.get("idle-timeout").duration(Duration.ofMinutes(30)), n.get("max-lifetime").duration(Duration.ofHours(24)),
        n.get("max-per-user").integer(SessionConfig.DEFAULT_MAX_PER_USER, 1, 1_000_000),
        new AuthConfigReader(ph::expand, environment, home).secretReference(n.get("admin-token"), false));
    n.rejectUnknownKeys();
    return s;
  }

  private static AuditConfig audit(YamlNode n, Placeholders ph) {
    YamlNode pathNode = n.get("path");
    String path = ph.expand(pathNode, pathNode.string("-"));
    AuditConfig a = new AuditConfig(path, n.get("queue-capacity").integer(10_000, 16, 10_000_000));
    n.rejectUnknownKeys();
    return a;
  }

  /** The secret store: {@code secrets: { store, key-file, key-env }}, defaults under the home. */
  private SecretsConfig secrets(YamlNode n, Placeholders ph) {
    SecretsConfig d = SecretsConfig.defaults(home);
    YamlNode storeNode = n.get("store");
    YamlNode keyNode = n.get("key-file");
    YamlNode envNode = n.get("key-env");
    Path store = storeNode.isMissing() ? d.store() : path(ph.expand(storeNode, storeNode.string(null)));
    Path key = keyNode.isMissing() ? d.keyFile() : path(ph.expand(keyNode, keyNode.string(null)));
    String keyEnv = envNode.string(d.keyEnv());
    if (!keyEnv.matches("^[A-Za-z_][A-Za-z0-9_]{0,127}$")) {
      envNode.error("must be an environment variable name");
      keyEnv = d.keyEnv();
    }
    n.rejectUnknownKeys();
    return new SecretsConfig(store, key, keyEnv);
  }

  private Path path(String s) {
    Path p = Path.of(s == null ? "" : s);
    return (p.isAbsolute() ? p : home.resolve(p)).normalize();
  }

  private List<ServerConfig> servers(YamlNode n, String sep, Placeholders ph) {
    List<ServerConfig> out = new ArrayList<>();
    if (n.isMissing()) {
      n.error("at least one server is required");
      return out;
    }
    Map<String, YamlNode> entries = n.entries(); // once: each call reports a non-mapping again
    for (Map.Entry<String, YamlNode> e : entries.entrySet()) {
      ServerConfig sc = server(e.getKey(), e.getValue(), sep, ph);
      if (sc != null) {
        out.add(sc);
      }
    }
    if (out.isEmpty() && entries.isEmpty()) {
      n.error("at least one server is required");
    }
    return out;
  }

  private ServerConfig server(String name, YamlNode n, String sep, Placeholders ph) {
    if (!SERVER_NAME.matcher(name).matches()) {
      n.error("server name must be 1-32 of A-Z a-z 0-9 _ - (it prefixes tool names)");
    } else if (name.length() + sep.length() > MAX_PREFIX) {
      n.error("server name plus separator is " + (name.length() + sep.length()) + " characters; at most " + MAX_PREFIX
          + " leaves room for tool names within the 64-character limit");
    }
    if (!n.isMap()) {
      n.error("must be a mapping with 'command' (stdio) or 'url' (HTTP)");
      return null;
    }
    YamlNode transportNode = n.get("transport");
    YamlNode commandNode = n.get("command");
    YamlNode urlNode = n.get("url");
    String transport = transportNode.string(commandNode.isMissing() ? (urlNode.isMissing() ? null : "http") : "stdio");
    boolean prefix = n.get("prefix").bool(true);
    Duration requestTimeout = n.get("request-timeout").duration(Duration.ofSeconds(60));
    Duration initTimeout = n.get("init-timeout").duration(Duration.ofSeconds(20));
    StdioConfig stdio = null;
    HttpConfig http = null;
    YamlNode env = n.get("env");
    YamlNode passthrough = n.get("env-passthrough");
    YamlNode workingDir = n.get("working-dir");
    YamlNode isolation = n.get("isolation");
    YamlNode maxLine = n.get("max-line-bytes");
    YamlNode backoff = n.get("restart-backoff-max");
    YamlNode headers = n.get("headers");
    YamlNode connectTimeout = n.get("connect-timeout");
    YamlNode maxConnections = n.get("max-connections");
    YamlNode tlsNode = n.get("tls");
    YamlNode authNode = n.get("auth");
    ServerConfig.Transport t = null;
    if (transport == null) {
      n.error("needs 'command' (a stdio server) or 'url' (a Streamable HTTP server)");
    } else if (transport.equals("stdio")) {
      t = ServerConfig.Transport.STDIO;
      List<String> command = commandNode.strings(List.of()).stream().map(s -> ph.expand(commandNode, s)).toList();
      if (command.isEmpty()) {
        commandNode.error("a stdio server needs a non-empty command list, e.g. [\"node\", \"server.js\"]");
      }
      if (!urlNode.isMissing()) {
        urlNode.error("not allowed with transport stdio");
      }
      Map<String, String> envMap = new java.util.LinkedHashMap<>();
      // ${secret:NAME} stays a reference here; the value enters only the child's environment.
      env.stringMap().forEach((k, v) -> envMap.put(k, ph.expandKeepingSecrets(env, v)));
      String iso = isolation.string("shared");
      StdioConfig.Isolation isoValue = switch (iso) {
        case "shared" -> StdioConfig.Isolation.SHARED;
        case "per-session" -> StdioConfig.Isolation.PER_SESSION;
        default -> {
          isolation.error("must be 'shared' or 'per-session'");
          yield StdioConfig.Isolation.SHARED;
        }
      };
      String wd = workingDir.isMissing() ? null : ph.expand(workingDir, workingDir.string(null));
      stdio = new StdioConfig(command, envMap, passthrough.strings(List.of("PATH")), wd, isoValue,
          maxLine.integer(4 * 1024 * 1024, 1024, 256 * 1024 * 1024), backoff.duration(Duration.ofSeconds(30)));
      for (YamlNode unused : List.of(headers, connectTimeout, maxConnections, tlsNode)) {
        if (!unused.isMissing()) {
          unused.error("only for HTTP servers");
        }
      }
      if (!authNode.isMissing()) {
        authNode.error("only for HTTP servers; a stdio server gets its credentials through env, e.g. API_KEY: ${secret:NAME}");
      }
    } else if (transport.equals("http")) {
      t = ServerConfig.Transport.HTTP;
      String url = ph.expand(urlNode, urlNode.string(null));
      URI uri = null;
      if (url == null) {
        urlNode.error("an HTTP server needs a url such as http://127.0.0.1:8080/mcp");
      } else {
        try {
          uri = new URI(url);
          if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            urlNode.error("must be an absolute http:// or https:// URL");
            uri = null;
          }
        } catch (URISyntaxException ex) {
          urlNode.error("not a valid URL: " + ex.getMessage());
        }
      }
      if (!commandNode.isMissing()) {
        commandNode.error("not allowed with transport http");
      }
      Map<String, String> hdrs = new java.util.LinkedHashMap<>();
      headers.stringMap().forEach((k, v) -> {
        if (k.equalsIgnoreCase("authorization") && v.isBlank()) {
          headers.error("empty Authorization header");
        }
        hdrs.put(k, ph.expand(headers, v));
      });
      URI upstream = uri == null ? URI.create("http://invalid.invalid/") : uri;
      UpstreamAuthConfig upstreamAuth = new UpstreamAuthReader(ph::expand).read(authNode, upstream, hdrs, headers);
      http = new HttpConfig(upstream, hdrs,
          connectTimeout.duration(Duration.ofSeconds(5)), maxConnections.integer(64, 1, 10_000), upstreamAuth,
          new TlsConfigReader(ph::expand, home).upstream(tlsNode, upstream));
      for (YamlNode unused : List.of(env, passthrough, workingDir, isolation, maxLine, backoff)) {
        if (!unused.isMissing()) {
          unused.error("only for stdio servers");
        }
      }
    } else {
      transportNode.error("must be 'stdio' or 'http'");
    }
    IntegrityConfig.Server integrity = new IntegrityConfigReader(ph::expand, home).server(name, n);
    PolicyConfig.Server policy = new PolicyConfigReader(ph::expand, home).server(name, n);
    ContentConfig.Server content = new ContentConfigReader(ph::expand, home).server(name, n);
    n.rejectUnknownKeys();
    return t == null ? null
        : new ServerConfig(name, t, prefix, requestTimeout, initTimeout, stdio, http, integrity, policy, content);
  }

  /**
   * Expands {@code ${java}}, {@code ${warden.home}}, {@code ${config.dir}} and {@code ${env:NAME}};
   * {@code ${secret:NAME}} is kept as a reference where secrets are allowed and refused elsewhere.
   */
  private final class Placeholders {
    private final Path configDir;

    Placeholders(Path configDir) {
      this.configDir = configDir;
    }

    String expand(YamlNode at, String s) {
      return expand(at, s, false);
    }

    /** Like {@link #expand(YamlNode, String)} but keeps valid {@code ${secret:NAME}} references. */
    String expandKeepingSecrets(YamlNode at, String s) {
      return expand(at, s, true);
    }

    private String expand(YamlNode at, String s, boolean keepSecrets) {
      if (s == null) {
        return null;
      }
      Matcher m = PLACEHOLDER.matcher(s);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String key = m.group(1);
        if (key.startsWith("secret:")) {
          String name = key.substring(7);
          if (!keepSecrets) {
            at.error("${secret:" + name + "} is not allowed here: secrets go only into a stdio server's env or an HTTP server's auth"
                + " (never into command lines, URLs or static headers)");
          } else if (!SecretStore.validName(name)) {
            at.error("'" + name + "' is not a valid secret name (1-64 of A-Z a-z 0-9 _ . -, starting with a letter or digit)");
          }
          m.appendReplacement(out, Matcher.quoteReplacement(keepSecrets ? m.group() : ""));
          continue;
        }
        String value = switch (key) {
          case "java" -> javaBinary();
          case "warden.home" -> home.toString();
          case "config.dir" -> configDir.toString();
          default -> key.startsWith("env:") ? environment.get(key.substring(4)) : null;
        };
        if (value == null) {
          at.error(key.startsWith("env:") ? "environment variable " + key.substring(4) + " is not set"
              : "unknown placeholder ${" + key + "} (known: ${java}, ${warden.home}, ${config.dir}, ${env:NAME})");
          value = "";
        }
        m.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      m.appendTail(out);
      return out.toString();
    }
  }

  /** The java binary running the gateway, so a Java stdio server uses the same JDK. */
  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
