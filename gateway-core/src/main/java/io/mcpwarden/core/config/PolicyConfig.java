package io.mcpwarden.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Access policy in CEL and data classification labels (issue 5).
 *
 * <p>Top-level settings here; per-server labels in {@link Server}, read from the server's entry.
 * Plain data: the rules are compiled by {@code io.mcpwarden.core.policy.Policy}, which the loader
 * calls so an invalid rule is a configuration error.
 *
 * @param enabled whether a {@code policy} section is present; without one every request is
 *     allowed and no rule runs (the demo and existing setups keep working)
 * @param rules the rules and default effect in force at start ({@code policy.rules} inline, or
 *     read from {@code file})
 * @param file where the rules live when they are kept apart so they can be reloaded; null when
 *     inline
 * @param reloadInterval how often {@code file} is checked for changes; zero: never
 * @param classifications the known classification names, lowest first (their index is the
 *     level rules compare)
 * @param defaultClassification classification of a server, tool, prompt or resource without one
 * @param groupsClaim token claim read as {@code principal.groups}
 * @param rolesClaim token claim read as {@code principal.roles}
 */
public record PolicyConfig(
    boolean enabled,
    Rules rules,
    Path file,
    Duration reloadInterval,
    List<String> classifications,
    String defaultClassification,
    String groupsClaim,
    String rolesClaim) {

  /** The four standard classification levels, lowest first. */
  public static final List<String> STANDARD_CLASSIFICATIONS = List.of("public", "internal", "confidential", "restricted");

  /** The defaults: no policy section, everything allowed. */
  public static final PolicyConfig DEFAULT = new PolicyConfig(
      false, new Rules(Effect.ALLOW, List.of()), null, Duration.ZERO, STANDARD_CLASSIFICATIONS, "internal", "groups", "roles");

  public PolicyConfig {
    classifications = List.copyOf(classifications);
  }

  /** What a rule does when it matches, and what happens when none does. */
  public enum Effect {
    ALLOW,
    DENY;

    /** The lower-case name used in YAML and in decisions. */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One rule: when its CEL condition holds, its effect applies (the first matching rule wins).
   *
   * @param name a short identifier, shown in decisions and audit records
   * @param effect allow or deny
   * @param when a CEL expression of type bool over the policy variables
   * @param reason told to the client and recorded when the rule decides (null: a generic one)
   */
  public record Rule(String name, Effect effect, String when, String reason) {}

  /**
   * A rule set: what is evaluated, and the effect when no rule matches.
   *
   * @param defaultEffect effect when no rule matches
   * @param rules in evaluation order
   */
  public record Rules(Effect defaultEffect, List<Rule> rules) {
    public Rules {
      rules = List.copyOf(rules);
    }
  }

  /**
   * Classification and labels of one server, tool, prompt or resource.
   *
   * @param classification one of {@link PolicyConfig#classifications()}, or null to inherit
   * @param labels free-form labels (e.g. {@code pii}, {@code finance}) rules can test
   */
  public record Labels(String classification, List<String> labels) {
    public static final Labels NONE = new Labels(null, List.of());

    public Labels {
      labels = List.copyOf(labels);
    }
  }

  /**
   * Classification labels of one upstream server and of its tools, prompts and resources.
   *
   * @param server the server's own labels; items without a classification inherit its one
   * @param tools by the server's own tool name
   * @param prompts by the server's own prompt name
   * @param resources by resource URI or URI template; a key ending in {@code *} matches every URI
   *     starting with what precedes it
   */
  public record Server(Labels server, Map<String, Labels> tools, Map<String, Labels> prompts, Map<String, Labels> resources) {
    public static final Server DEFAULT = new Server(Labels.NONE, Map.of(), Map.of(), Map.of());

    public Server {
      tools = Map.copyOf(tools);
      prompts = Map.copyOf(prompts);
      resources = Map.copyOf(resources);
    }
  }

  /** The same settings with the policy switched on (a {@code policy} section present). */
  public PolicyConfig withEnabled() {
    return new PolicyConfig(true, rules, file, reloadInterval, classifications, defaultClassification, groupsClaim, rolesClaim);
  }

  public PolicyConfig withRules(Rules newRules) {
    return new PolicyConfig(enabled, newRules, file, reloadInterval, classifications, defaultClassification, groupsClaim, rolesClaim);
  }
}
