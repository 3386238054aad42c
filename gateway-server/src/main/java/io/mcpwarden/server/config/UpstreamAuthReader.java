package io.mcpwarden.server.config;

import io.mcpwarden.core.config.UpstreamAuthConfig;
import io.mcpwarden.core.config.UpstreamAuthConfig.ClientAuthMethod;
import io.mcpwarden.core.secret.SecretReferences;
import io.mcpwarden.core.secret.SecretStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Reads {@code servers.<name>.auth}: the gateway's own credential for one HTTP upstream.
 *
 * <p>Secrets are accepted only as {@code ${secret:NAME}} references to the encrypted store, so no
 * credential value is ever part of the configuration. Token endpoints must use https (http only on
 * loopback, for local trials and tests), because they receive the client secret and, for token
 * exchange, the user's token.
 */
final class UpstreamAuthReader {
  /** RFC 9110 token: the characters a header name may hold. */
  private static final Pattern HEADER_NAME = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$");
  private static final Pattern HEADER_VALUE_PART = Pattern.compile("^[\\x21-\\x7e]{1,64}$");
  /** Headers the transport owns: a credential may not replace them. */
  static final Set<String> RESERVED_HEADERS = Set.of(
      "host", "content-length", "content-type", "accept", "transfer-encoding", "connection", "upgrade", "te", "trailer",
      "keep-alive", "expect", "user-agent", "mcp-session-id", "mcp-protocol-version", "last-event-id");
  private static final Duration MAX_SKEW = Duration.ofHours(1);
  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);

  private final BiFunction<YamlNode, String, String> expand;

  UpstreamAuthReader(BiFunction<YamlNode, String, String> expand) {
    this.expand = expand;
  }

  /**
   * @param upstream the server's URL: the default {@code resource} of token exchange
   * @param headers the server's static headers, which must not clash with the credential's
   * @param headersNode where the static headers are, for errors
   */
  UpstreamAuthConfig read(YamlNode n, URI upstream, Map<String, String> headers, YamlNode headersNode) {
    if (n.isMissing()) {
      return UpstreamAuthConfig.NONE;
    }
    if (!n.isMap()) {
      n.error("must be a mapping with 'type': none, static, client-credentials or token-exchange");
      return UpstreamAuthConfig.NONE;
    }
    YamlNode typeNode = n.get("type");
    String type = typeNode.string(null);
    UpstreamAuthConfig out;
    if (type == null) {
      typeNode.error("is required: none, static, client-credentials or token-exchange");
      out = UpstreamAuthConfig.NONE;
    } else {
      out = switch (type) {
        case "none" -> UpstreamAuthConfig.NONE;
        case "static" -> staticCredential(n);
        case "client-credentials" -> new UpstreamAuthConfig.ClientCredentials(endpoint(n), target(n, null));
        case "token-exchange" -> new UpstreamAuthConfig.TokenExchange(endpoint(n), target(n, upstream),
            n.get("max-cached-subjects").integer(10_000, 1, 1_000_000));
        default -> {
          typeNode.error("must be none, static, client-credentials or token-exchange (was '" + type + "')");
          yield UpstreamAuthConfig.NONE;
        }
      };
    }
    n.rejectUnknownKeys();
    String credentialHeader = switch (out) {
      case UpstreamAuthConfig.Static s -> s.header();
      case UpstreamAuthConfig.None none -> null;
      default -> "Authorization";
    };
    if (credentialHeader != null) {
      for (String h : headers.keySet()) {
        if (h.equalsIgnoreCase(credentialHeader)) {
          headersNode.error("header " + h + " is set by auth (" + type + "); remove it here");
        }
      }
    }
    return out;
  }

  private UpstreamAuthConfig staticCredential(YamlNode n) {
    YamlNode headerNode = n.get("header");
    String header = headerNode.string("Authorization");
    if (!HEADER_NAME.matcher(header).matches()) {
      headerNode.error("'" + header + "' is not a valid header name");
      header = "Authorization";
    } else if (RESERVED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
      headerNode.error("'" + header + "' is a header of the transport itself; choose the header the upstream expects the credential in");
    }
    YamlNode schemeNode = n.get("scheme");
    String scheme = schemeNode.string(header.equalsIgnoreCase("Authorization") ? "Bearer" : "none");
    if (scheme.equals("none") || scheme.isEmpty()) {
      scheme = null;
    } else if (!HEADER_VALUE_PART.matcher(scheme).matches()) {
      schemeNode.error("must be one word such as Bearer, or none");
      scheme = null;
    }
    String secret = secretName(n.get("value"));
    return new UpstreamAuthConfig.Static(header, scheme, secret == null ? "missing" : secret);
  }

  private UpstreamAuthConfig.TokenEndpoint endpoint(YamlNode n) {
    YamlNode urlNode = n.get("token-endpoint");
    URI url = null;
    String text = expand.apply(urlNode, urlNode.string(null));
    if (text == null) {
      urlNode.error("is required: the authorization server's token endpoint, e.g. https://idp.example.com/oauth2/token");
    } else {
      url = tokenEndpoint(urlNode, text);
    }
    YamlNode idNode = n.get("client-id");
    String clientId = expand.apply(idNode, idNode.string(null));
    if (clientId == null || clientId.isBlank()) {
      idNode.error("is required: the gateway's client id at the authorization server");
      clientId = "missing";
    }
    String secret = secretName(n.get("client-secret"));
    YamlNode methodNode = n.get("client-auth");
    String m = methodNode.string("client_secret_basic");
    ClientAuthMethod method = switch (m) {
      case "client_secret_basic" -> ClientAuthMethod.CLIENT_SECRET_BASIC;
      case "client_secret_post" -> ClientAuthMethod.CLIENT_SECRET_POST;
      default -> {
        methodNode.error("must be client_secret_basic or client_secret_post");
        yield ClientAuthMethod.CLIENT_SECRET_BASIC;
      }
    };
    Duration timeout = bounded(n.get("timeout"), Duration.ofSeconds(10), MAX_TIMEOUT);
    return new UpstreamAuthConfig.TokenEndpoint(url == null ? URI.create("https://invalid.invalid/token") : url, clientId,
        secret == null ? "missing" : secret, method, timeout);
  }

  private URI tokenEndpoint(YamlNode at, String text) {
    try {
      URI u = new URI(text);
      if (u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
        at.error("must be an absolute https:// URL");
        return null;
      }
      if ("http".equals(u.getScheme()) && !ConfigLoader.isLoopback(u.getHost())) {
        at.error("must use https: the token endpoint receives the client secret and users' tokens (http only on loopback)");
        return null;
      }
      if (u.getRawFragment() != null || u.getRawUserInfo() != null) {
        at.error("must not hold a fragment or user info");
        return null;
      }
      return u;
    } catch (URISyntaxException e) {
      at.error("not a valid URL: " + e.getMessage());
      return null;
    }
  }

  /**
   * @param defaultResource resource when neither resource nor audience is given (token exchange:
   *     the upstream's URL, so the issued token is bound to it), or null for none
   */
  private UpstreamAuthConfig.TokenTarget target(YamlNode n, URI defaultResource) {
    YamlNode scopeNode = n.get("scope");
    List<String> scopes = new ArrayList<>();
    for (String s : scopeNode.strings(List.of())) {
      for (String one : s.trim().split("\\s+")) {
        if (one.isEmpty()) {
          continue;
        }
        if (!AuthConfigReader.SCOPE.matcher(one).matches()) {
          scopeNode.error("'" + one + "' is not a valid scope");
        } else {
          scopes.add(one);
        }
      }
    }
    YamlNode resourceNode = n.get("resource");
    List<URI> resources = new ArrayList<>();
    for (String r : resourceNode.strings(List.of())) {
      String text = expand.apply(resourceNode, r);
      try {
        URI u = new URI(text);
        if (!u.isAbsolute() || u.getRawFragment() != null) {
          resourceNode.error("'" + text + "' must be an absolute URI without fragment (RFC 8707)");
        } else {
          resources.add(u);
        }
      } catch (URISyntaxException e) {
        resourceNode.error("'" + text + "' is not a valid URI");
      }
    }
    YamlNode audienceNode = n.get("audience");
    List<String> audiences = new ArrayList<>();
    for (String a : audienceNode.strings(List.of())) {
      String text = expand.apply(audienceNode, a);
      if (text.isBlank()) {
        audienceNode.error("must not be empty");
      } else {
        audiences.add(text);
      }
    }
    if (defaultResource != null && resourceNode.isMissing() && audienceNode.isMissing()) {
      resources.add(defaultResource);
    }
    Duration skew = bounded(n.get("refresh-skew"), Duration.ofSeconds(30), MAX_SKEW);
    return new UpstreamAuthConfig.TokenTarget(scopes, resources, audiences, skew);
  }

  private static Duration bounded(YamlNode n, Duration dflt, Duration max) {
    Duration d = n.duration(dflt);
    if (d.compareTo(max) > 0) {
      n.error("must be at most " + max.toSeconds() + "s");
      return dflt;
    }
    return d;
  }

  /** The name in a required {@code ${secret:NAME}} value, or null after reporting an error. */
  static String secretName(YamlNode n) {
    String text = n.string(null);
    String hint = "must be a reference to the secret store such as ${secret:NAME} (add it with: mcp-warden secrets set NAME);"
        + " a credential never goes in the configuration itself";
    if (text == null) {
      n.error("is required; " + hint);
      return null;
    }
    Optional<String> name = SecretReferences.exactName(text);
    if (name.isEmpty()) {
      n.error(hint);
      return null;
    }
    if (!SecretStore.validName(name.get())) {
      n.error("'" + name.get() + "' is not a valid secret name (1-64 of A-Z a-z 0-9 _ . -, starting with a letter or digit)");
      return null;
    }
    return name.get();
  }
}
