package io.mcpwarden.server.config;

import io.mcpwarden.core.config.ContentConfig;
import io.mcpwarden.core.config.ContentConfig.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Reads the top-level {@code content} section and the per-server keys that belong to it
 * ({@code servers.<name>.trust} and {@code servers.<name>.content}, with per-tool entries under
 * {@code content.tools}).
 *
 * <p>Kept apart from {@link ConfigLoader} so the section's keys and checks live in one file. The
 * same keys are read at every layer (top level, server, tool), so a setting means one thing
 * wherever it is written.
 */
final class ContentConfigReader {
  private static final Pattern PII_TYPE = Pattern.compile("^[a-z0-9][a-z0-9-]{0,63}$");
  private static final Pattern HOST_PATTERN = Pattern.compile("^(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$");

  private final BiFunction<YamlNode, String, String> expand;
  private final Path home;

  ContentConfigReader(BiFunction<YamlNode, String, String> expand, Path home) {
    this.expand = expand;
    this.home = home;
  }

  /** The top-level {@code content:} section (missing node: defaults). */
  ContentConfig read(YamlNode n) {
    if (n.isMissing()) {
      return ContentConfig.DEFAULT;
    }
    Settings s = settings(n);
    n.rejectUnknownKeys();
    return new ContentConfig(s);
  }

  /**
   * This section's keys in one server's entry. Reads only its own keys from {@code serverNode};
   * the loader rejects keys nobody read.
   */
  ContentConfig.Server server(String serverName, YamlNode serverNode) {
    YamlNode trustNode = serverNode.get("trust");
    ContentConfig.Trust trust = choice(trustNode, ContentConfig.Trust.class, ContentConfig.Trust.TRUSTED);
    YamlNode n = serverNode.get("content");
    if (n.isMissing()) {
      return new ContentConfig.Server(trust, Settings.INHERIT, Map.of());
    }
    Settings s = settings(n);
    Map<String, Settings> tools = new LinkedHashMap<>();
    YamlNode toolsNode = n.get("tools");
    for (Map.Entry<String, YamlNode> e : toolsNode.entries().entrySet()) {
      YamlNode t = e.getValue();
      if (!t.isMap()) {
        t.error("must be a mapping of content settings for tool " + e.getKey());
        continue;
      }
      tools.put(e.getKey(), settings(t));
      t.rejectUnknownKeys();
    }
    List<String> urlHosts = elicitationUrlHosts(n.get("elicitation-url-hosts"));
    n.rejectUnknownKeys();
    return new ContentConfig.Server(trust, s, tools, urlHosts);
  }

  /** Host names, lower case, each optionally starting with {@code *.}; one error per bad entry. */
  private static List<String> elicitationUrlHosts(YamlNode n) {
    List<String> hosts = new ArrayList<>();
    for (String h : n.strings(List.of())) {
      String host = h.strip().toLowerCase(Locale.ROOT);
      if (!HOST_PATTERN.matcher(host).matches()) {
        n.error("'" + h + "' is not a host name (ASCII letters, digits, '-' and '.', optionally starting with '*.';"
            + " internationalised names in punycode)");
        continue;
      }
      hosts.add(host);
    }
    return hosts;
  }

  /** The keys every layer shares. */
  private Settings settings(YamlNode n) {
    YamlNode validate = n.get("validate-arguments");
    Boolean validateArguments = validate.isMissing() ? null : validate.bool(true);
    var injection = nullableChoice(n.get("injection"), ContentConfig.InjectionAction.class);
    var argSecrets = nullableChoice(n.get("secrets-in-arguments"), ContentConfig.ArgumentSecretAction.class);
    var resultSecrets = nullableChoice(n.get("secrets-in-results"), ContentConfig.ResultSecretAction.class);
    var pii = nullableChoice(n.get("pii"), ContentConfig.PiiAction.class);
    Map<String, ContentConfig.PiiAction> piiTypes = null;
    YamlNode typesNode = n.get("pii-types");
    if (!typesNode.isMissing()) {
      piiTypes = new LinkedHashMap<>();
      for (Map.Entry<String, YamlNode> e : typesNode.entries().entrySet()) {
        if (!PII_TYPE.matcher(e.getKey()).matches()) {
          e.getValue().error("not a PII type name (lower-case letters, digits and '-', e.g. email, payment-card)");
        }
        ContentConfig.PiiAction a = nullableChoice(e.getValue(), ContentConfig.PiiAction.class);
        if (a != null) {
          piiTypes.put(e.getKey(), a);
        }
      }
    }
    YamlNode spotlightNode = n.get("spotlight");
    Boolean spotlight = spotlightNode.isMissing() ? null : spotlightNode.bool(false);
    YamlNode datamarkNode = n.get("datamark");
    Boolean datamark = datamarkNode.isMissing() ? null : datamarkNode.bool(false);
    ContentConfig.PathRule paths = paths(n.get("paths"));
    ContentConfig.UrlRule urls = urls(n.get("urls"));
    YamlNode execNode = n.get("executes-commands");
    Boolean executes = execNode.isMissing() ? null : execNode.bool(false);
    var shell = nullableChoice(n.get("shell-metacharacters"), ContentConfig.ShellAction.class);
    return new Settings(validateArguments, injection, argSecrets, resultSecrets, pii, piiTypes, spotlight, datamark,
        paths, urls, executes, shell);
  }

  private ContentConfig.PathRule paths(YamlNode n) {
    if (n.isMissing()) {
      return null;
    }
    List<String> args = n.get("arguments").strings(List.of());
    YamlNode rootsNode = n.get("roots");
    List<String> roots = new ArrayList<>();
    List<String> raw = rootsNode.strings(List.of());
    for (int i = 0; i < raw.size(); i++) {
      String r = expand.apply(rootsNode, raw.get(i));
      Path p = Path.of(r);
      if (!p.isAbsolute()) {
        p = home.resolve(p);
      }
      String norm = p.normalize().toString();
      if (norm.contains("..")) {
        rootsNode.item(i).error("a root must not contain '..'");
        continue;
      }
      roots.add(norm);
    }
    if (roots.isEmpty()) {
      rootsNode.error("paths needs at least one root directory, e.g. roots: [/srv/data]");
    }
    n.rejectUnknownKeys();
    return new ContentConfig.PathRule(args, roots);
  }

  private ContentConfig.UrlRule urls(YamlNode n) {
    if (n.isMissing()) {
      return null;
    }
    List<String> args = n.get("arguments").strings(List.of());
    YamlNode allowNode = n.get("allow");
    List<String> allow = new ArrayList<>();
    List<String> raw = allowNode.strings(List.of());
    for (int i = 0; i < raw.size(); i++) {
      String origin = origin(raw.get(i));
      if (origin == null) {
        allowNode.item(i).error("must be an origin such as https://example.com, https://*.example.org or http://10.0.0.5:8080"
            + " (scheme, host with an optional leading '*.', optional port; no path)");
      } else {
        allow.add(origin);
      }
    }
    boolean allowPrivate = n.get("allow-private").bool(false);
    n.rejectUnknownKeys();
    return new ContentConfig.UrlRule(args, allow, allowPrivate);
  }

  /** {@code scheme://host[:port]} in lower case, or null when the entry is not an origin. */
  static String origin(String entry) {
    String s = entry.strip().toLowerCase(Locale.ROOT);
    if (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    boolean wildcard = s.contains("://*.");
    try {
      URI u = new URI(wildcard ? s.replace("://*.", "://wildcard.") : s);
      if (u.getScheme() == null || u.getHost() == null || u.getRawPath() != null && !u.getRawPath().isEmpty()
          || u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
        return null;
      }
      String host = wildcard ? "*." + u.getHost().substring("wildcard.".length()) : u.getHost();
      if (!host.startsWith("[") && !HOST_PATTERN.matcher(host).matches()) {
        return null;
      }
      return u.getScheme() + "://" + host + (u.getPort() >= 0 ? ":" + u.getPort() : "");
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static <E extends Enum<E>> E nullableChoice(YamlNode n, Class<E> type) {
    return n.isMissing() ? null : choice(n, type, null);
  }

  /** A kebab-case enum value, e.g. {@code block}; an error listing the allowed values otherwise. */
  private static <E extends Enum<E>> E choice(YamlNode n, Class<E> type, E dflt) {
    String v = n.string(null);
    if (v == null) {
      return dflt;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(v)) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    n.error("must be one of " + String.join(", ", allowed) + " (was '" + v + "')");
    return dflt;
  }
}
