package io.mcpwarden.server.config;

import io.mcpwarden.core.config.PolicyConfig;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.policy.Policy;
import io.mcpwarden.core.policy.PolicyCompileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Reads the top-level {@code policy} section and the per-server keys that belong to it.
 *
 * <p>Kept apart from {@link ConfigLoader} so the section's keys and checks live in one file. The
 * rules are compiled here, so an invalid rule fails the load with its YAML path and the position
 * inside the CEL expression.
 */
final class PolicyConfigReader {
  private static final Pattern LABEL = Pattern.compile("^[A-Za-z0-9_.:/-]{1,64}$");

  private final BiFunction<YamlNode, String, String> expand;
  private final Path home;

  PolicyConfigReader(BiFunction<YamlNode, String, String> expand, Path home) {
    this.expand = expand;
    this.home = home;
  }

  /**
   * The top-level {@code policy:} section (missing node: no policy, everything allowed), checked
   * against the servers' classification labels.
   */
  PolicyConfig read(YamlNode n, List<ServerConfig> servers) {
    if (n.isMissing()) {
      n.rejectUnknownKeys();
      return PolicyConfig.DEFAULT;
    }
    PolicyConfig d = PolicyConfig.DEFAULT;
    YamlNode classesNode = n.get("classifications");
    List<String> classes = classesNode.strings(d.classifications());
    if (classes.isEmpty() || new LinkedHashSet<>(classes).size() != classes.size()) {
      classesNode.error("must be a non-empty list of distinct names, lowest level first");
      classes = d.classifications();
    }
    for (String c : classes) {
      if (!LABEL.matcher(c).matches()) {
        classesNode.error("'" + c + "' is not a valid classification name (letters, digits, _ . : / -)");
      }
    }
    YamlNode defClassNode = n.get("default-classification");
    String defaultClass = defClassNode.string(classes.contains(d.defaultClassification()) ? d.defaultClassification() : classes.getFirst());
    checkClassification(defClassNode, defaultClass, classes);
    String groupsClaim = n.get("groups-claim").string(d.groupsClaim());
    String rolesClaim = n.get("roles-claim").string(d.rolesClaim());

    YamlNode fileNode = n.get("file");
    String fileText = fileNode.string(null);
    Path file = null;
    PolicyConfig.Rules rules;
    YamlNode intervalNode = n.get("reload-interval");
    Duration interval = intervalNode.duration(Duration.ofSeconds(2));
    boolean watch = n.get("watch").bool(true);
    if (fileText != null) {
      file = Path.of(expand.apply(fileNode, fileText));
      for (String key : List.of("rules", "default")) {
        YamlNode inline = n.get(key);
        if (!inline.isMissing()) {
          inline.error("not allowed together with policy.file: the rules and default effect come from that file");
        }
      }
      rules = PolicyFileReader.readInto(file, fileNode);
    } else {
      if (!intervalNode.isMissing()) {
        intervalNode.error("only with policy.file (inline rules change with the configuration)");
      }
      rules = PolicyFileReader.rules(n);
    }
    n.rejectUnknownKeys();

    Map<String, PolicyConfig.Server> labels = new LinkedHashMap<>();
    for (ServerConfig sc : servers) {
      labels.put(sc.name(), sc.policy());
      checkServer(n, sc, classes);
    }
    PolicyConfig config = new PolicyConfig(true, rules, file, file == null || !watch ? Duration.ZERO : interval, classes,
        defaultClass, groupsClaim, rolesClaim);
    try {
      Policy.compile(config, labels);
    } catch (PolicyCompileException e) {
      String at = file == null ? n.path() : fileNode.path();
      String prefix = file == null ? "" : file + ": ";
      for (PolicyCompileException.Problem p : e.problems()) {
        String rulePath = p.rule() < 0 ? "" : "rules[" + p.rule() + "]." + p.field();
        if (file == null) {
          n.at(at + "." + rulePath).error(p.describe());
        } else {
          fileNode.error(prefix + rulePath + ": " + p.describe());
        }
      }
    }
    return config;
  }

  private static void checkServer(YamlNode policyNode, ServerConfig sc, List<String> classes) {
    String base = "servers." + sc.name();
    PolicyConfig.Server s = sc.policy();
    if (s.server().classification() != null) {
      checkClassification(policyNode.at(base + ".classification"), s.server().classification(), classes);
    }
    for (Map.Entry<String, Map<String, PolicyConfig.Labels>> kind : Map.of("tools", s.tools(), "prompts", s.prompts(),
        "resources", s.resources()).entrySet()) {
      for (Map.Entry<String, PolicyConfig.Labels> e : kind.getValue().entrySet()) {
        if (e.getValue().classification() != null) {
          checkClassification(policyNode.at(base + "." + kind.getKey() + "." + e.getKey() + ".classification"),
              e.getValue().classification(), classes);
        }
      }
    }
  }

  private static void checkClassification(YamlNode at, String value, List<String> classes) {
    if (!classes.contains(value)) {
      at.error("unknown classification '" + value + "' (known: " + String.join(", ", classes)
          + "; add it to policy.classifications)");
    }
  }

  /**
   * This section's keys in one server's entry: {@code classification}, {@code labels}, and the
   * same two per tool, prompt and resource under {@code tools}, {@code prompts},
   * {@code resources}. Classification names are checked later, against {@code policy.classifications}.
   */
  PolicyConfig.Server server(String serverName, YamlNode serverNode) {
    PolicyConfig.Labels own = labels(serverNode);
    Map<String, PolicyConfig.Labels> tools = byName(serverNode.get("tools"));
    Map<String, PolicyConfig.Labels> prompts = byName(serverNode.get("prompts"));
    Map<String, PolicyConfig.Labels> resources = byName(serverNode.get("resources"));
    if (own.equals(PolicyConfig.Labels.NONE) && tools.isEmpty() && prompts.isEmpty() && resources.isEmpty()) {
      return PolicyConfig.Server.DEFAULT;
    }
    return new PolicyConfig.Server(own, tools, prompts, resources);
  }

  private static Map<String, PolicyConfig.Labels> byName(YamlNode n) {
    Map<String, PolicyConfig.Labels> out = new LinkedHashMap<>();
    for (Map.Entry<String, YamlNode> e : n.entries().entrySet()) {
      YamlNode entry = e.getValue();
      if (!entry.isMap()) {
        entry.error("must be a mapping with classification and/or labels");
        continue;
      }
      out.put(e.getKey(), labels(entry));
      entry.rejectUnknownKeys();
    }
    return out;
  }

  private static PolicyConfig.Labels labels(YamlNode n) {
    String classification = n.get("classification").string(null);
    YamlNode labelsNode = n.get("labels");
    List<String> labels = labelsNode.strings(List.of());
    for (String l : labels) {
      if (!LABEL.matcher(l).matches()) {
        labelsNode.error("'" + l + "' is not a valid label (1-64 of letters, digits, _ . : / -)");
      }
    }
    return classification == null && labels.isEmpty() ? PolicyConfig.Labels.NONE : new PolicyConfig.Labels(classification, labels);
  }
}
