package io.mcpwarden.server.cli;

import io.mcpwarden.core.auth.DevIssuer;
import io.mcpwarden.core.config.AuthConfig;
import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.server.config.ConfigException;
import io.mcpwarden.server.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mcp-warden dev-token}: prints an access token signed by the development issuer of a
 * configuration, so the secured demo can be tried without an identity provider.
 *
 * <p>Only configurations with {@code auth.dev-issuer.enabled: true} (which the loader accepts on
 * loopback only) can mint tokens; the token goes to standard output alone, for {@code $(...)}.
 */
@Command(name = "dev-token", mixinStandardHelpOptions = true,
    description = {"Print an access token from the development issuer (local trials only).",
      "Example: TOKEN=$(./mcp-warden dev-token --config examples/secured-demo.yaml --sub alice)"})
final class DevTokenCommand implements Callable<Integer> {
  private static final Pattern DURATION = Pattern.compile("^(\\d+)(s|m|h)$");

  @Spec CommandSpec spec;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Configuration with auth.dev-issuer enabled (default: ${WARDEN_HOME}/examples/secured-demo.yaml).")
  Path config;

  @Option(names = "--sub", required = true, paramLabel = "SUBJECT", description = "The token's subject (the user).")
  String subject;

  @Option(names = "--scope", paramLabel = "SCOPE", split = "[ ,]", description = "Scope to grant; repeat or separate with spaces (default: the configuration's scopes-supported, else required-scopes).")
  List<String> scopes = new ArrayList<>();

  @Option(names = "--aud", paramLabel = "URI", description = "Audience (default: the gateway's resource URI).")
  String audience;

  @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "5m", description = "Lifetime such as 90s, 5m or 1h (at most 24h; default: ${DEFAULT-VALUE}).")
  String ttl;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path file = config != null ? config : ConfigFiles.home().resolve("examples").resolve("secured-demo.yaml");
    GatewayConfig cfg;
    try {
      cfg = ConfigLoader.fromEnvironment().load(file);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 2;
    }
    AuthConfig auth = cfg.auth();
    if (auth == null || !auth.devIssuerEnabled()) {
      err.println(file + ": auth.dev-issuer is not enabled; real deployments get tokens from their identity provider");
      return 2;
    }
    Duration lifetime = parse(ttl);
    if (lifetime == null) {
      err.println("--ttl must be a duration such as 90s, 5m or 1h, at most 24h");
      return 2;
    }
    if (cfg.listen().port() == 0) {
      err.println(file + ": listen.port is 0; the development issuer's URL needs a fixed port");
      return 2;
    }
    String host = cfg.listen().host().contains(":") ? "[" + cfg.listen().host() + "]" : cfg.listen().host();
    String origin = cfg.listen().scheme() + "://" + host + ":" + cfg.listen().port(); // as Gateway derives it
    String aud = audience != null ? audience : auth.resource() != null ? auth.resource().toString() : origin + cfg.listen().path();
    List<String> granted = new ArrayList<>(new LinkedHashSet<>(scopes.stream().filter(s -> !s.isBlank()).toList()));
    if (scopes.isEmpty()) {
      granted.addAll(auth.scopesSupported().isEmpty() ? auth.requiredScopes() : auth.scopesSupported());
    }
    try {
      DevIssuer dev = DevIssuer.open(auth.devIssuer().keyFile(), origin, Clock.systemUTC());
      out.println(dev.mint(subject, granted, aud, lifetime));
      out.flush();
      err.println("dev-token: sub=" + subject + " aud=" + aud + " scope=\"" + String.join(" ", granted) + "\" expires in " + ttl
          + " (development issuer " + dev.issuer() + ")");
      return 0;
    } catch (IOException | IllegalArgumentException e) {
      err.println("dev-token: " + e.getMessage());
      return 1;
    }
  }

  static Duration parse(String s) {
    Matcher m = DURATION.matcher(s == null ? "" : s.trim());
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
    return d.isZero() || d.compareTo(Duration.ofHours(24)) > 0 ? null : d;
  }
}
