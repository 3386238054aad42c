package io.mcpwarden.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --name value} options of the harness's main classes; everything after {@code --} is kept
 * verbatim as a command line.
 */
final class Args {
  private final Map<String, List<String>> options = new LinkedHashMap<>();
  private final List<String> rest = new ArrayList<>();

  Args(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        rest.addAll(List.of(args).subList(i + 1, args.length));
        return;
      }
      if (!a.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value, got: " + a);
      }
      options.computeIfAbsent(a.substring(2), k -> new ArrayList<>()).add(args[++i]);
    }
  }

  String get(String name, String fallback) {
    List<String> v = options.get(name);
    return v == null ? fallback : v.getLast();
  }

  String required(String name) {
    String v = get(name, null);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }

  int integer(String name, int fallback) {
    return Integer.parseInt(get(name, String.valueOf(fallback)));
  }

  double number(String name, double fallback) {
    return Double.parseDouble(get(name, String.valueOf(fallback)));
  }

  List<String> all(String name) {
    return options.getOrDefault(name, List.of());
  }

  /** The command after {@code --}. */
  List<String> command() {
    return rest;
  }
}
