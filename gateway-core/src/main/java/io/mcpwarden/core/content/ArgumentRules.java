package io.mcpwarden.core.content;

import io.mcpwarden.core.config.ContentConfig;
import java.io.IOException;
import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The optional per-tool argument rules: paths confined to allowed roots, URLs checked against an
 * allow-list and internal addresses, shell metacharacters in the arguments of command tools.
 *
 * <p>Each check returns the first problem as a sentence the model can act on (what was wrong and
 * what is allowed), or null. Checks never resolve host names: the upstream resolves them itself,
 * later, so a lookup here would prove nothing (DNS rebinding); the allow-list is the real defence
 * and the address checks catch literal internal addresses in all their spellings.
 */
final class ArgumentRules {
  /** Argument names treated as paths when a path rule names none. */
  static final Set<String> PATH_NAMES = Set.of("path", "paths", "file", "files", "filename", "file_path", "filepath",
      "dir", "directory", "folder", "root", "source", "destination", "src", "dest", "target_path", "cwd");
  private static final Pattern ENCODED_DOTS_OR_SLASH = Pattern.compile("%(2e|2f|5c)", Pattern.CASE_INSENSITIVE);
  private static final Set<String> INTERNAL_NAMES = Set.of("localhost", "metadata", "metadata.google.internal",
      "metadata.goog", "instance-data", "kubernetes.default", "kubernetes.default.svc");

  private ArgumentRules() {}

  // ------------------------------------------------------------------ paths

  /** The first path argument outside the roots (or using traversal), as a message; null when all are inside. */
  static String checkPaths(ContentConfig.PathRule rule, JsonNode arguments, boolean checkSymlinks) {
    List<String[]> found = new ArrayList<>();
    collect(arguments, rule.arguments().isEmpty() ? PATH_NAMES : Set.copyOf(rule.arguments()), true,
        (name, value) -> found.add(new String[] {name, value}));
    for (String[] f : found) {
      String problem = pathProblem(f[1], rule.roots(), checkSymlinks);
      if (problem != null) {
        return "argument '" + f[0] + "': " + problem + "; allowed roots: " + String.join(", ", rule.roots());
      }
    }
    return null;
  }

  static String pathProblem(String value, List<String> roots, boolean checkSymlinks) {
    if (value.indexOf('\0') >= 0) {
      return "the path contains a NUL character";
    }
    if (ENCODED_DOTS_OR_SLASH.matcher(value).find()) {
      return "the path contains percent-encoded dots or slashes";
    }
    String v = value.startsWith("file://") ? value.substring("file://".length()) : value;
    for (String segment : v.split("[/\\\\]")) {
      if (segment.equals("..")) {
        return "the path '" + shorten(value) + "' uses '..' (directory traversal is not allowed)";
      }
    }
    if (v.startsWith("~")) {
      return "the path '" + shorten(value) + "' starts with '~'; give an absolute path";
    }
    Path p;
    try {
      p = Path.of(v);
      if (!p.isAbsolute()) {
        p = Path.of(roots.getFirst()).resolve(p);
      }
      p = p.normalize();
    } catch (InvalidPathException e) {
      return "'" + shorten(value) + "' is not a valid path";
    }
    Path root = under(p, roots);
    if (root == null) {
      return "the path '" + shorten(value) + "' is outside the allowed roots";
    }
    if (checkSymlinks) {
      Path real = realPrefix(p);
      if (real != null && under(real, realRoots(roots)) == null) {
        return "the path '" + shorten(value) + "' leads outside the allowed roots through a symbolic link";
      }
    }
    return null;
  }

  private static Path under(Path p, List<String> roots) {
    for (String r : roots) {
      Path root = Path.of(r);
      if (p.startsWith(root)) {
        return root;
      }
    }
    return null;
  }

  private static List<String> realRoots(List<String> roots) {
    List<String> out = new ArrayList<>();
    for (String r : roots) {
      Path real = realPrefix(Path.of(r));
      out.add(real == null ? r : real.toString());
    }
    return out;
  }

  /** The real path of the longest existing prefix of {@code p} plus the rest, or null when none exists. */
  private static Path realPrefix(Path p) {
    Path existing = p;
    Path rest = null;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      Path name = existing.getFileName();
      rest = rest == null ? name : name == null ? rest : name.resolve(rest);
      existing = existing.getParent();
    }
    if (existing == null) {
      return null;
    }
    try {
      Path real = existing.toRealPath();
      return rest == null ? real : real.resolve(rest).normalize();
    } catch (IOException e) {
      return null;
    }
  }

  // ------------------------------------------------------------------ URLs

  /** The first URL argument that is not allowed, as a message; null when all are. */
  static String checkUrls(ContentConfig.UrlRule rule, JsonNode arguments) {
    List<String[]> found = new ArrayList<>();
    Set<String> names = rule.arguments().isEmpty() ? null : Set.copyOf(rule.arguments());
    collect(arguments, names, true, (name, value) -> {
      if (names != null || urlLike(value)) {
        found.add(new String[] {name, value});
      }
    });
    for (String[] f : found) {
      String problem = urlProblem(f[1], rule);
      if (problem != null) {
        return "argument '" + f[0] + "': " + problem;
      }
    }
    return null;
  }

  /**
   * Whether a value, stripped of surrounding whitespace, starts with {@code scheme://}
   * ({@code [a-zA-Z][a-zA-Z0-9+.-]*}): looks at the first characters only, so a 4 KB argument of
   * prose costs nothing.
   */
  static boolean urlLike(String value) {
    int i = 0;
    int n = value.length();
    while (i < n && Character.isWhitespace(value.charAt(i))) {
      i++;
    }
    if (i == n || !asciiLetter(value.charAt(i))) {
      return false;
    }
    i++;
    while (i < n) {
      char c = value.charAt(i);
      if (c == ':') {
        return value.startsWith("//", i + 1);
      }
      if (!(asciiLetter(c) || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-')) {
        return false;
      }
      i++;
    }
    return false;
  }

  private static boolean asciiLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  static String urlProblem(String value, ContentConfig.UrlRule rule) {
    URI u;
    try {
      u = new URI(value.strip());
    } catch (URISyntaxException e) {
      return "'" + shorten(value) + "' is not a valid URL";
    }
    String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
    String host = u.getHost();
    if (scheme != null && rule.allow().isEmpty() && !scheme.equals("https") && !scheme.equals("http")) {
      return "the URL scheme '" + scheme + "' is not allowed (only http and https)";
    }
    if (scheme == null || host == null || host.isEmpty()) {
      return "'" + shorten(value) + "' is not an absolute URL with a host";
    }
    if (u.getRawUserInfo() != null) {
      return "the URL '" + shorten(value) + "' carries user information before the host, which is not allowed";
    }
    host = IDN.toASCII(host.toLowerCase(Locale.ROOT), IDN.ALLOW_UNASSIGNED);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (!rule.allowPrivate()) {
      String internal = internalAddress(host);
      if (internal != null) {
        return "the URL '" + shorten(value) + "' points to " + internal
            + " (requests to internal addresses are refused to prevent server-side request forgery)";
      }
    }
    if (rule.allow().isEmpty()) {
      return null;
    }
    int port = u.getPort() >= 0 ? u.getPort() : defaultPort(scheme);
    for (String origin : rule.allow()) {
      if (matchesOrigin(origin, scheme, host, port)) {
        return null;
      }
    }
    return "the URL '" + shorten(value) + "' is not on the allow-list; allowed: " + String.join(", ", rule.allow());
  }

  private static boolean matchesOrigin(String origin, String scheme, String host, int port) {
    int sep = origin.indexOf("://");
    String oScheme = origin.substring(0, sep);
    String rest = origin.substring(sep + 3);
    int oPort = defaultPort(oScheme);
    int colon = rest.lastIndexOf(':');
    if (colon > 0 && !rest.endsWith("]")) {
      oPort = Integer.parseInt(rest.substring(colon + 1));
      rest = rest.substring(0, colon);
    }
    if (!oScheme.equals(scheme) || oPort != port) {
      return false;
    }
    return hostMatches(rest, host) || rest.equals("[" + host + "]");
  }

  /**
   * Whether {@code host} (lower case, no trailing dot) is the one {@code pattern} names: the same
   * name, or for {@code *.example.org} any name under it (not example.org itself).
   */
  static boolean hostMatches(String pattern, String host) {
    if (pattern.startsWith("*.")) {
      String suffix = pattern.substring(1);
      return host.endsWith(suffix) && host.length() > suffix.length();
    }
    return pattern.equals(host);
  }

  private static int defaultPort(String scheme) {
    return switch (scheme) {
      case "https", "wss" -> 443;
      case "http", "ws" -> 80;
      case "ftp" -> 21;
      default -> -1;
    };
  }

  /**
   * What internal address a host names, or null when it is a public name or address. Catches IPv4
   * in decimal, octal and hex forms, IPv6 (with mapped and NAT64-style IPv4), and well-known
   * internal names, without resolving anything.
   */
  static String internalAddress(String host) {
    if (INTERNAL_NAMES.contains(host) || host.endsWith(".localhost") || host.endsWith(".internal")) {
      return "an internal host name (" + host + ")";
    }
    InetAddress addr = literal(host);
    if (addr == null) {
      return null;
    }
    if (addr instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      boolean mapped = true;
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      if (mapped && (b[10] == (byte) 0xff && b[11] == (byte) 0xff || b[10] == 0 && b[11] == 0)
          || b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b) {
        try {
          InetAddress v4 = InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
          if (!(b[10] == 0 && b[11] == 0 && v4.isAnyLocalAddress())) {
            String inner = internalV4(v4);
            if (inner != null) {
              return inner;
            }
          }
        } catch (UnknownHostException e) {
          return "an unparseable address";
        }
      }
      if (v6.isLoopbackAddress() || v6.isAnyLocalAddress()) {
        return "a loopback address";
      }
      if (v6.isLinkLocalAddress() || v6.isSiteLocalAddress() || (b[0] & 0xfe) == 0xfc) {
        return "a private or link-local address";
      }
      return null;
    }
    return internalV4(addr);
  }

  private static String internalV4(InetAddress a) {
    byte[] b = a.getAddress();
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    if (a.isLoopbackAddress() || b0 == 0) {
      return "a loopback address";
    }
    if (b0 == 169 && b1 == 254) {
      return "a link-local address (cloud metadata lives at 169.254.169.254)";
    }
    if (a.isSiteLocalAddress() || b0 == 100 && b1 >= 64 && b1 < 128 || b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0
        || b0 == 198 && (b1 == 18 || b1 == 19)) {
      return "a private address";
    }
    if (b0 >= 224) {
      return "a multicast or reserved address";
    }
    return null;
  }

  /** The address a host literal spells (dotted, decimal, octal or hex IPv4; bracketed IPv6), or null for a name. */
  static InetAddress literal(String host) {
    try {
      if (host.startsWith("[") && host.endsWith("]")) {
        return InetAddress.getByName(host.substring(1, host.length() - 1));
      }
      if (host.contains(":")) {
        return InetAddress.getByName(host);
      }
      String[] parts = host.split("\\.", -1);
      if (parts.length > 4) {
        return null;
      }
      long[] nums = new long[parts.length];
      for (int i = 0; i < parts.length; i++) {
        Long n = number(parts[i]);
        if (n == null) {
          return null;
        }
        nums[i] = n;
      }
      long value;
      switch (parts.length) {
        case 1 -> value = nums[0];
        case 2 -> value = (nums[0] << 24) | nums[1];
        case 3 -> value = (nums[0] << 24) | (nums[1] << 16) | nums[2];
        default -> value = (nums[0] << 24) | (nums[1] << 16) | (nums[2] << 8) | nums[3];
      }
      if (value < 0 || value > 0xffffffffL) {
        return null;
      }
      return Inet4Address.getByAddress(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** A decimal, octal (leading 0) or hex (0x) number, or null. */
  private static Long number(String s) {
    try {
      if (s.isEmpty()) {
        return null;
      }
      if (s.startsWith("0x") || s.startsWith("0X")) {
        return s.length() == 2 ? 0L : Long.parseLong(s.substring(2), 16);
      }
      if (s.length() > 1 && s.startsWith("0")) {
        return Long.parseLong(s.substring(1), 8);
      }
      return s.chars().allMatch(Character::isDigit) ? Long.parseLong(s) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  // ------------------------------------------------------------------ shell

  /** The metacharacters that chain, substitute or redirect commands in POSIX shells and cmd.exe (and {@code $(}, {@code ${}). */
  private static final String SHELL_META = ";&|`<>\n\r\0";

  /** The first string argument holding shell metacharacters, as a message; null when none does. */
  static String checkShell(JsonNode arguments) {
    List<String[]> found = new ArrayList<>();
    collect(arguments, null, true, (name, value) -> {
      if (found.isEmpty()) {
        String meta = shellMeta(value);
        if (meta != null) {
          found.add(new String[] {name, meta});
        }
      }
    });
    if (found.isEmpty()) {
      return null;
    }
    String ch = found.getFirst()[1].replace("\n", "\\n").replace("\r", "\\r").replace("\0", "\\0");
    return "argument '" + found.getFirst()[0] + "' contains the shell metacharacter '" + ch
        + "' (command chaining, substitution and redirection are refused for this tool); pass one plain command";
  }

  /** The first shell metacharacter (or {@code $(}, {@code ${}) in a value, or null: one pass, no regex. */
  static String shellMeta(String value) {
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (SHELL_META.indexOf(c) >= 0) {
        return String.valueOf(c);
      }
      if (c == '$' && i + 1 < n && (value.charAt(i + 1) == '(' || value.charAt(i + 1) == '{')) {
        return value.substring(i, i + 2);
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ walking

  /**
   * Calls {@code sink} with (argument name, string value) for the string values under the named
   * arguments (all arguments when {@code names} is null), descending into arrays; into nested
   * objects only when {@code deep}.
   */
  static void collect(JsonNode node, Set<String> names, boolean deep, BiConsumer<String, String> sink) {
    if (node == null || !node.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = e.getKey();
      boolean wanted = names == null || names.contains(key);
      if (wanted) {
        strings(key, e.getValue(), deep || names != null, sink);
      }
    }
  }

  private static void strings(String name, JsonNode v, boolean deep, BiConsumer<String, String> sink) {
    if (v.isString()) {
      sink.accept(name, v.asString());
    } else if (v.isArray()) {
      for (JsonNode item : v) {
        strings(name, item, deep, sink);
      }
    } else if (deep && v.isObject()) {
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        strings(name + "." + e.getKey(), e.getValue(), deep, sink);
      }
    }
  }

  static String shorten(String s) {
    String one = s.replace("\n", "\\n").replace("\r", "\\r");
    return one.length() > 120 ? one.substring(0, 120) + "..." : one;
  }
}
