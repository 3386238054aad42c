package io.mcpwarden.server.config;

import io.mcpwarden.core.config.PolicyConfig;
import io.mcpwarden.core.config.PolicyConfig.Effect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads policy rules: the {@code default} effect and the {@code rules} list, inline in the
 * {@code policy} section or in a file of their own ({@code policy.file}).
 *
 * <p>Public because a reload and {@code mcp-warden policy test} read the same file format outside
 * a full configuration load. Compiling the rules is the caller's part ({@code Policy.compile}).
 */
public final class PolicyFileReader {
  private PolicyFileReader() {}

  /**
   * The rules of a policy file.
   *
   * @throws ConfigException every problem in it, with paths such as {@code rules[2].effect}
   */
  public static PolicyConfig.Rules read(Path file) {
    List<ConfigError> errors = new ArrayList<>();
    YamlNode root = new YamlNode("", load(file, errors), errors);
    PolicyConfig.Rules rules = errors.isEmpty() ? rules(root) : null;
    if (errors.isEmpty()) {
      root.rejectUnknownKeys();
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(file.toString(), errors);
    }
    return rules;
  }

  /** Reads a policy file during a configuration load, reporting its problems at {@code at}. */
  static PolicyConfig.Rules readInto(Path file, YamlNode at) {
    try {
      return read(file);
    } catch (ConfigException e) {
      for (ConfigError err : e.errors()) {
        at.error(file + ": " + err);
      }
      return new PolicyConfig.Rules(Effect.DENY, List.of());
    }
  }

  private static Object load(Path file, List<ConfigError> errors) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      errors.add(new ConfigError("", "cannot read policy file: " + e.getMessage()));
      return Map.of();
    }
    try {
      LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).setAllowDuplicateKeys(false)
          .setMaxAliasesForCollections(10).build();
      Object doc = new Load(settings).loadFromString(text);
      if (doc == null) {
        return Map.of();
      }
      if (!(doc instanceof Map<?, ?>)) {
        errors.add(new ConfigError("", "the document must be a mapping with 'default' and 'rules'"));
        return Map.of();
      }
      return doc;
    } catch (YamlEngineException e) {
      errors.add(new ConfigError("", "not valid YAML: " + e.getMessage()));
      return Map.of();
    }
  }

  /**
   * {@code default} (allow or deny; deny when absent: a policy section means least privilege)
   * and {@code rules} of a mapping. Leaves unknown-key checks to the caller.
   */
  static PolicyConfig.Rules rules(YamlNode n) {
    Effect dflt = effect(n.get("default"), Effect.DENY);
    YamlNode list = n.get("rules");
    List<PolicyConfig.Rule> rules = new ArrayList<>();
    if (!list.isMissing() && !(list.raw() instanceof List<?>)) {
      list.error("must be a list of rules");
    } else if (list.raw() instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        YamlNode r = list.item(i);
        if (!r.isMap()) {
          r.error("must be a mapping with name, effect, when and optionally reason");
          continue;
        }
        YamlNode nameNode = r.get("name");
        String name = nameNode.string(null);
        if (name == null || name.isBlank()) {
          nameNode.error("required: a short name for audit records and decisions");
          name = "rules[" + i + "]";
        }
        YamlNode effectNode = r.get("effect");
        if (effectNode.isMissing()) {
          effectNode.error("required: allow or deny");
        }
        Effect effect = effect(effectNode, Effect.DENY);
        YamlNode whenNode = r.get("when");
        String when = whenNode.string(null);
        if (when == null || when.isBlank()) {
          whenNode.error("required: a CEL expression of type bool (use 'true' for a catch-all)");
          when = "false";
        }
        String reason = r.get("reason").string(null);
        r.rejectUnknownKeys();
        rules.add(new PolicyConfig.Rule(name, effect, when, reason));
      }
    }
    return new PolicyConfig.Rules(dflt, rules);
  }

  private static Effect effect(YamlNode n, Effect dflt) {
    String s = n.string(null);
    if (s == null) {
      return dflt;
    }
    return switch (s) {
      case "allow" -> Effect.ALLOW;
      case "deny" -> Effect.DENY;
      default -> {
        n.error("must be 'allow' or 'deny'");
        yield dflt;
      }
    };
  }
}
