package io.mcpwarden.core.route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ObjectNode;

/**
 * The regular expressions for the URIs that resource templates describe, each compiled once and
 * kept in a bounded cache shared by every session of one router.
 *
 * <p>A {@code resources/read} of a URI that is no listed resource is matched against each admitted
 * template of the session, then each withheld one; compiling every template's pattern on every such
 * read cost one regex compilation per template per read. Keyed by the template string, since the
 * sessions of one gateway see the same templates. Templates come from upstreams, so the cache is
 * bounded: an upstream inventing templates costs compilations, never unbounded memory.
 */
final class TemplatePatterns {
  /** Enough for every template of a large deployment; a miss only costs a compilation. */
  static final int DEFAULT_SIZE = 4096;

  private final Cache<String, Pattern> patterns;

  TemplatePatterns() {
    this(DEFAULT_SIZE);
  }

  TemplatePatterns(int maxSize) {
    // Evictions run on the caller's thread: the bound holds without a background task.
    this.patterns = Caffeine.newBuilder().maximumSize(maxSize).executor(Runnable::run).build();
  }

  /** Whether the template of a {@code resources/templates/list} entry describes {@code uri}. */
  boolean describes(ObjectNode template, String uri) {
    String t = template.path("uriTemplate").asString("");
    return !t.isEmpty() && pattern(t).matcher(uri).matches();
  }

  /** The compiled pattern of a URI template, from the cache when it was compiled before. */
  Pattern pattern(String uriTemplate) {
    return patterns.get(uriTemplate, TemplatePatterns::compile);
  }

  /** How many compiled patterns the cache holds after pending evictions (for tests). */
  long size() {
    patterns.cleanUp();
    return patterns.estimatedSize();
  }

  /** A regular expression for the URIs an RFC 6570 template (levels 1-2) describes. */
  static Pattern compile(String uriTemplate) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < uriTemplate.length()) {
      int open = uriTemplate.indexOf('{', i);
      if (open < 0) {
        re.append(Pattern.quote(uriTemplate.substring(i)));
        break;
      }
      re.append(Pattern.quote(uriTemplate.substring(i, open)));
      int close = uriTemplate.indexOf('}', open);
      if (close < 0) {
        re.append(Pattern.quote(uriTemplate.substring(open)));
        break;
      }
      String expr = uriTemplate.substring(open + 1, close);
      if (expr.startsWith("+") || expr.startsWith("#")) {
        re.append(".+");
      } else if (expr.startsWith("?") || expr.startsWith("&")) {
        re.append("(?:[?&].*)?");
      } else {
        re.append("[^/?#]+");
      }
      i = close + 1;
    }
    return Pattern.compile(re.toString());
  }
}
