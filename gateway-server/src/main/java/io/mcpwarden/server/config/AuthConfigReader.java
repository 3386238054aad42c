package io.mcpwarden.server.config;

import io.mcpwarden.core.auth.ScopeClaims;
import io.mcpwarden.core.config.AuthConfig;
import io.mcpwarden.core.config.ListenConfig;
import io.mcpwarden.core.config.ServerConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Reads the optional {@code auth:} section into an {@link AuthConfig}, reporting every mistake
 * with its YAML path.
 *
 * <p>Kept apart from {@link ConfigLoader} because it is the largest section and the one where a
 * silent default would be a security hole: there is none for issuers, and every URL and scope is
 * checked for shape.
 */
final class AuthConfigReader {
  /** RFC 6749 §3.3 scope-token: printable ASCII except space, quote and backslash. */
  static final Pattern SCOPE = Pattern.compile("^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}$");
  private static final Pattern TOOL = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
  private static final Duration MAX_SKEW = Duration.ofMinutes(10);
  private static final Pattern CLAIM = Pattern.compile("^[A-Za-z0-9_.:-]{1,64}$");
  private static final Set<String> NOT_SCOPES =
      Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "azp", "client_id", "typ", "cnf", "sid", "act");

  private final BiFunction<YamlNode, String, String> expand;
  private final Map<String, String> environment;
  private final Path home;

  /**
   * @param expand placeholder expansion of the loader ({@code ${warden.home}}, {@code ${env:X}}, ...)
   */
  AuthConfigReader(BiFunction<YamlNode, String, String> expand, Map<String, String> environment, Path home) {
    this.expand = expand;
    this.environment = environment;
    this.home = home;
  }

  /** The section, or null when it is absent (authentication off). */
  AuthConfig read(YamlNode n, ListenConfig listen, List<ServerConfig> servers) {
    if (n.isMissing()) {
      return null;
    }
    if (!n.isMap()) {
      n.error("must be a mapping (see docs/authorization.md)");
      return null;
    }
    boolean loopback = ConfigLoader.isLoopback(listen.host());
    YamlNode resourceNode = n.get("resource");
    URI resource = resourceNode.isMissing() ? null : resource(resourceNode);
    if (resourceNode.isMissing() && !loopback) {
      resourceNode.error("is required when listening on the non-loopback address " + listen.host()
          + ": the canonical URL clients use, e.g. https://mcp.example.com" + listen.path());
    }
    List<AuthConfig.Issuer> issuers = issuers(n.get("issuers"));
    YamlNode audNode = n.get("audiences");
    List<String> audiences = audNode.strings(List.of());
    for (String a : audiences) {
      if (a.isBlank()) {
        audNode.error("audiences must not be blank");
      }
    }
    List<String> required = scopes(n.get("required-scopes"));
    List<String> supported = scopes(n.get("scopes-supported"));
    Map<String, AuthConfig.ServerRule> rules = serverRules(n.get("servers"), servers);
    YamlNode skewNode = n.get("clock-skew");
    Duration skew = skewNode.duration(Duration.ofSeconds(60));
    if (skew.compareTo(MAX_SKEW) > 0) {
      skewNode.error("must be at most 10m (a long skew extends every token's life)");
    }
    YamlNode algNode = n.get("algorithms");
    List<String> algorithms = algNode.strings(List.of("RS256", "PS256", "ES256"));
    for (String a : algorithms) {
      if (!AuthConfig.ASYMMETRIC_ALGORITHMS.contains(a)) {
        algNode.error("'" + a + "' is not accepted; allowed: " + String.join(", ", AuthConfig.ASYMMETRIC_ALGORITHMS)
            + " (never none or HMAC, which would let a public key sign tokens)");
      }
    }
    if (algorithms.isEmpty()) {
      algNode.error("must list at least one algorithm");
    }
    boolean requireTyp = n.get("require-typ").bool(false);
    Duration jwksTtl = n.get("jwks-cache-ttl").duration(Duration.ofMinutes(10));
    YamlNode cooldownNode = n.get("jwks-refresh-cooldown");
    Duration cooldown = cooldownNode.duration(Duration.ofSeconds(30));
    if (cooldown.compareTo(Duration.ofSeconds(1)) < 0) {
      cooldownNode.error("must be at least 1s (it protects the authorization server from key-id floods)");
    }
    AuthConfig.Introspection introspection = introspection(n.get("introspection"));
    int replaySize = n.get("replay-cache-size").integer(100_000, 16, 10_000_000);
    int maxTokenBytes = n.get("max-token-bytes").integer(8 * 1024, 256, 64 * 1024);
    YamlNode devNode = n.get("dev-issuer");
    AuthConfig.DevIssuer dev = devIssuer(devNode);
    if (dev != null && dev.enabled()) {
      if (!loopback) {
        devNode.get("enabled").error("the development issuer runs only on loopback addresses; listen.host is " + listen.host());
      }
      if (resource != null && !ConfigLoader.isLoopback(resource.getHost())) {
        devNode.get("enabled").error("the development issuer runs only for a loopback resource; auth.resource is " + resource);
      }
    }
    if (issuers.isEmpty() && (dev == null || !dev.enabled())) {
      n.get("issuers").error("at least one trusted issuer is needed (or dev-issuer.enabled: true for local trials)");
    }
    List<String> scopeClaims = scopeClaims(n.get("scope-claims"));
    n.rejectUnknownKeys();
    return new AuthConfig(resource, issuers, audiences, required, supported, rules, skew, algorithms, requireTyp, jwksTtl,
        cooldown, introspection, replaySize, maxTokenBytes, dev, scopeClaims);
  }

  private static URI resource(YamlNode n) {
    URI u = httpUrl(n, n.string(null), true);
    if (u == null) {
      return null;
    }
    if (u.getRawFragment() != null || u.getRawQuery() != null) {
      n.error("must have no query and no fragment (RFC 8707)");
    }
    // Clients compare it byte for byte, in the canonical form: lowercase scheme and host.
    String s = u.toString();
    int hostEnd = s.indexOf('/', s.indexOf("://") + 3);
    String head = hostEnd < 0 ? s : s.substring(0, hostEnd);
    return URI.create(head.toLowerCase(Locale.ROOT) + (hostEnd < 0 ? "" : s.substring(hostEnd)));
  }

  /** An absolute http(s) URL; plain http only for loopback hosts. */
  private static URI httpUrl(YamlNode n, String value, boolean required) {
    if (value == null) {
      if (required) {
        n.error("is required");
      }
      return null;
    }
    try {
      URI u = new URI(value);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (u.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
        n.error("must be an absolute https:// URL (was '" + value + "')");
        return null;
      }
      if (scheme.equals("http") && !ConfigLoader.isLoopback(u.getHost())) {
        n.error("must use https (plain http is accepted only for loopback hosts)");
        return null;
      }
      if (u.getRawUserInfo() != null) {
        n.error("must not contain user information");
        return null;
      }
      return u;
    } catch (URISyntaxException e) {
      n.error("not a valid URL: " + e.getMessage());
      return null;
    }
  }

  private static List<AuthConfig.Issuer> issuers(YamlNode n) {
    List<AuthConfig.Issuer> out = new ArrayList<>();
    if (n.isMissing()) {
      return out;
    }
    if (!(n.raw() instanceof List<?> list)) {
      n.error("must be a list of issuers, e.g. - issuer: https://idp.example.com/realms/mcp");
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      YamlNode item = n.item(i);
      if (!item.isMap()) {
        item.error("must be a mapping with 'issuer'");
        continue;
      }
      YamlNode issNode = item.get("issuer");
      String iss = issNode.string(null);
      URI issUri = httpUrl(issNode, iss, true);
      if (issUri != null && (issUri.getRawQuery() != null || issUri.getRawFragment() != null)) {
        issNode.error("an issuer has no query or fragment (RFC 8414)");
      }
      YamlNode jwksNode = item.get("jwks-uri");
      URI jwks = jwksNode.isMissing() ? null : httpUrl(jwksNode, jwksNode.string(null), true);
      YamlNode discNode = item.get("discovery");
      URI discovery = discNode.isMissing() ? null : httpUrl(discNode, discNode.string(null), true);
      if (jwks != null && discovery != null) {
        discNode.error("give either jwks-uri or discovery, not both");
      }
      item.rejectUnknownKeys();
      if (iss != null) {
        for (AuthConfig.Issuer other : out) {
          if (other.issuer().equals(iss)) {
            issNode.error("issuer listed twice");
          }
        }
        out.add(new AuthConfig.Issuer(iss, jwks, discovery));
      }
    }
    return out;
  }

  private static List<String> scopes(YamlNode n) {
    List<String> out = n.strings(List.of());
    for (String s : out) {
      if (!SCOPE.matcher(s).matches()) {
        n.error("'" + s + "' is not a valid scope (printable ASCII, no spaces, quotes or backslashes)");
      }
    }
    return out;
  }

  /**
   * The claims read as scopes. Claims that identify the token or bound its life are refused: a
   * subject or an audience that matched a scope name would grant that scope.
   */
  private static List<String> scopeClaims(YamlNode n) {
    List<String> out = n.strings(ScopeClaims.DEFAULT.names());
    if (out.isEmpty()) {
      n.error("must list at least one claim, e.g. [scope, scp]");
    }
    for (String c : out) {
      if (!CLAIM.matcher(c).matches()) {
        n.error("'" + c + "' is not a claim name (A-Z a-z 0-9 _ - . :, at most 64 characters)");
      } else if (NOT_SCOPES.contains(c)) {
        n.error("'" + c + "' identifies the token, it does not grant scopes; use e.g. [scope, scp, roles]");
      }
    }
    if (out.stream().distinct().count() != out.size()) {
      n.error("lists a claim twice");
    }
    return out;
  }

  private static Map<String, AuthConfig.ServerRule> serverRules(YamlNode n, List<ServerConfig> servers) {
    Map<String, AuthConfig.ServerRule> out = new LinkedHashMap<>();
    for (Map.Entry<String, YamlNode> e : n.entries().entrySet()) {
      YamlNode s = e.getValue();
      if (servers.stream().noneMatch(sc -> sc.name().equals(e.getKey()))) {
        s.error("no server named '" + e.getKey() + "' under servers");
      }
      if (!s.isMap()) {
        s.error("must be a mapping with required-scopes and/or tools");
        continue;
      }
      List<String> scopes = scopes(s.get("required-scopes"));
      Map<String, AuthConfig.ToolRule> tools = new LinkedHashMap<>();
      for (Map.Entry<String, YamlNode> t : s.get("tools").entries().entrySet()) {
        YamlNode tn = t.getValue();
        if (!TOOL.matcher(t.getKey()).matches()) {
          tn.error("not a tool name (the server's own name of the tool, A-Z a-z 0-9 _ . -)");
        }
        if (!tn.isMap()) {
          tn.error("must be a mapping with required-scopes and/or high-risk");
          continue;
        }
        tools.put(t.getKey(), new AuthConfig.ToolRule(scopes(tn.get("required-scopes")), tn.get("high-risk").bool(false)));
        tn.rejectUnknownKeys();
      }
      s.rejectUnknownKeys();
      out.put(e.getKey(), new AuthConfig.ServerRule(scopes, tools));
    }
    return out;
  }

  private AuthConfig.Introspection introspection(YamlNode n) {
    if (n.isMissing()) {
      return null;
    }
    YamlNode endpointNode = n.get("endpoint");
    URI endpoint = httpUrl(endpointNode, endpointNode.string(null), true);
    YamlNode idNode = n.get("client-id");
    String clientId = idNode.string(null);
    if (clientId == null || clientId.isBlank()) {
      idNode.error("is required: the gateway's client id at the authorization server");
    }
    YamlNode secretNode = n.get("client-secret");
    String secretRef = secretReference(secretNode, true);
    Duration ttl = n.get("cache-ttl").duration(Duration.ofMinutes(2));
    int size = n.get("cache-size").integer(10_000, 1, 10_000_000);
    YamlNode tokensNode = n.get("tokens");
    String tokens = tokensNode.string("opaque");
    if (!tokens.equals("opaque") && !tokens.equals("all")) {
      tokensNode.error("must be opaque (only tokens that are not JWTs) or all (JWTs too, for revocation)");
    }
    n.rejectUnknownKeys();
    return endpoint == null ? null : new AuthConfig.Introspection(endpoint, clientId, secretRef, ttl, size, tokens.equals("all"));
  }

  /**
   * A reference to a secret: {@code env:NAME} or {@code file:PATH}. Checked to exist now, read
   * only when the gateway starts, never kept in the configuration value.
   */
  String secretReference(YamlNode n, boolean required) {
    String ref = n.string(null);
    if (ref == null) {
      if (required) {
        n.error("is required: env:NAME (an environment variable) or file:PATH (a file holding the secret)");
      }
      return null;
    }
    if (ref.startsWith("env:")) {
      String name = ref.substring(4);
      if (name.isEmpty() || environment.get(name) == null) {
        n.error("environment variable " + name + " is not set");
      }
      return ref;
    }
    if (ref.startsWith("file:")) {
      String path = expand.apply(n, ref.substring(5));
      Path p = Path.of(path);
      if (!p.isAbsolute()) {
        p = home.resolve(p);
      }
      if (!Files.isReadable(p)) {
        n.error("secret file " + p + " cannot be read");
      }
      return "file:" + p;
    }
    n.error("must be env:NAME or file:PATH (the secret itself never goes in the configuration)");
    return null;
  }

  private AuthConfig.DevIssuer devIssuer(YamlNode n) {
    if (n.isMissing()) {
      return null;
    }
    boolean enabled = n.get("enabled").bool(false);
    YamlNode keyNode = n.get("key-file");
    String key = keyNode.isMissing() ? home.resolve("data").resolve("dev-issuer-key.json").toString()
        : expand.apply(keyNode, keyNode.string(null));
    n.rejectUnknownKeys();
    Path p = Path.of(key == null ? "dev-issuer-key.json" : key);
    return new AuthConfig.DevIssuer(enabled, p.isAbsolute() ? p : home.resolve(p));
  }
}
