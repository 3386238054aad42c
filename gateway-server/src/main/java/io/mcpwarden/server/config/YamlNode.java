package io.mcpwarden.server.config;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in a loaded YAML document that reads typed values and records errors with their
 * path instead of throwing, so one pass finds every mistake.
 *
 * <p>Each mapping also tracks which keys were read, so unknown keys (usually typos) are reported.
 */
final class YamlNode {
  private static final Pattern DURATION = Pattern.compile("^(\\d+)(ms|s|m|h|d)$");

  private final String path;
  private final Object value;
  private final List<ConfigError> errors;
  private final Set<String> seen = new LinkedHashSet<>();

  YamlNode(String path, Object value, List<ConfigError> errors) {
    this.path = path;
    this.value = value;
    this.errors = errors;
  }

  String path() {
    return path;
  }

  boolean isMissing() {
    return value == null;
  }

  Object raw() {
    return value;
  }

  void error(String message) {
    errors.add(new ConfigError(path, message));
  }

  private String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The value under a key of this mapping (missing when absent or when this is no mapping). */
  YamlNode get(String key) {
    seen.add(key);
    if (value instanceof Map<?, ?> m) {
      return new YamlNode(child(key), m.get(key), errors);
    }
    return new YamlNode(child(key), null, errors);
  }

  /**
   * A missing node at another path of the same document, for errors found when one section is
   * checked against another read earlier (e.g. a server's classification against the policy's list).
   */
  YamlNode at(String otherPath) {
    return new YamlNode(otherPath, null, errors);
  }

  boolean isMap() {
    return value instanceof Map<?, ?>;
  }

  /** Element {@code i} of a list (missing when absent or when this is no list). */
  YamlNode item(int i) {
    Object v = value instanceof List<?> l && i >= 0 && i < l.size() ? l.get(i) : null;
    return new YamlNode(path + "[" + i + "]", v, errors);
  }

  /** Entries of a mapping in document order. */
  Map<String, YamlNode> entries() {
    Map<String, YamlNode> out = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String k = String.valueOf(e.getKey());
        out.put(k, new YamlNode(child(k), e.getValue(), errors));
      }
    } else if (value != null) {
      error("must be a mapping");
    }
    return out;
  }

  /** Reports keys of this mapping that were never read. */
  void rejectUnknownKeys() {
    if (value instanceof Map<?, ?> m) {
      for (Object k : m.keySet()) {
        if (!seen.contains(String.valueOf(k))) {
          errors.add(new ConfigError(child(String.valueOf(k)), "unknown key (allowed: " + String.join(", ", seen) + ")"));
        }
      }
    } else if (value != null) {
      error("must be a mapping");
    }
  }

  String string(String dflt) {
    if (value == null) {
      return dflt;
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    error("must be a string");
    return dflt;
  }

  int integer(int dflt, int min, int max) {
    long v = longValue(dflt, min, max);
    return (int) v;
  }

  long longValue(long dflt, long min, long max) {
    if (value == null) {
      return dflt;
    }
    if (value instanceof BigInteger big) {
      // Beyond long: longValue() would wrap it, possibly into range (2^64 + 1024 reads as 1024).
      error("must be between " + min + " and " + max + " (was " + big + ")");
      return dflt;
    }
    if (value instanceof Number n && !(value instanceof Double) && !(value instanceof Float)) {
      long v = n.longValue();
      if (v < min || v > max) {
        error("must be between " + min + " and " + max + " (was " + v + ")");
        return dflt;
      }
      return v;
    }
    error("must be an integer");
    return dflt;
  }

  boolean bool(boolean dflt) {
    if (value == null) {
      return dflt;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    error("must be true or false");
    return dflt;
  }

  /** A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}. */
  Duration duration(Duration dflt) {
    if (value == null) {
      return dflt;
    }
    Matcher m = DURATION.matcher(String.valueOf(value).trim());
    if (!m.matches()) {
      error("must be a duration such as 500ms, 30s, 5m, 2h or 1d (was '" + value + "')");
      return dflt;
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
    if (d.isZero()) {
      error("must be longer than zero");
      return dflt;
    }
    return d;
  }

  /** A list of strings; a single string is read as a one-element list. */
  List<String> strings(List<String> dflt) {
    if (value == null) {
      return dflt;
    }
    if (value instanceof String s) {
      return List.of(s);
    }
    if (!(value instanceof List<?> list)) {
      error("must be a list of strings");
      return dflt;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object o = list.get(i);
      if (o instanceof String || o instanceof Number || o instanceof Boolean) {
        out.add(String.valueOf(o));
      } else {
        errors.add(new ConfigError(path + "[" + i + "]", "must be a string"));
      }
    }
    return out;
  }

  /** A mapping of strings to strings. */
  Map<String, String> stringMap() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, YamlNode> e : entries().entrySet()) {
      String v = e.getValue().string(null);
      if (v == null) {
        if (e.getValue().isMissing()) {
          e.getValue().error("must be a string"); // a wrong type was already reported by string()
        }
      } else {
        out.put(e.getKey(), v);
      }
    }
    return out;
  }
}
