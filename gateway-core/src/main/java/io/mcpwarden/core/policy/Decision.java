package io.mcpwarden.core.policy;

import io.mcpwarden.core.config.PolicyConfig;
import io.mcpwarden.core.config.PolicyConfig.Effect;

/**
 * The policy's answer to one request.
 *
 * <p>Carries the rule that decided and why, so the client's error, the audit record and the
 * {@code policy test} output all explain the same decision.
 *
 * @param effect allow or deny
 * @param rule the name of the rule that decided, or null when the default effect applied
 * @param reason a human-readable reason (never null)
 * @param error true when evaluating a rule failed and the request was denied for it (fail closed)
 */
public record Decision(Effect effect, String rule, String reason, boolean error) {

  public boolean allowed() {
    return effect == Effect.ALLOW;
  }

  static Decision byRule(PolicyConfig.Rule rule) {
    String why = rule.reason() != null ? rule.reason()
        : (rule.effect() == Effect.ALLOW ? "allowed" : "denied") + " by rule " + rule.name();
    return new Decision(rule.effect(), rule.name(), why, false);
  }

  static Decision byDefault(Effect effect) {
    return new Decision(effect, null, effect == Effect.ALLOW ? "allowed by default" : "no rule allows this (default deny)", false);
  }

  static Decision failed(String rule, String message) {
    return new Decision(Effect.DENY, rule, "policy evaluation failed in rule " + rule + ": " + message + " (denied: fail closed)", true);
  }
}
