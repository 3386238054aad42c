package io.mcpwarden.bench.jmh;

import io.mcpwarden.core.auth.Principal;
import io.mcpwarden.core.config.PolicyConfig;
import io.mcpwarden.core.config.PolicyConfig.Effect;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.policy.Decision;
import io.mcpwarden.core.policy.Policy;
import io.mcpwarden.core.policy.PolicyCompileException;
import io.mcpwarden.core.policy.PolicyRequest;
import io.mcpwarden.core.policy.PolicyRequest.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the policy guard pays per decision ({@link Policy#decide}) with a 50-rule policy of the
 * shapes operators write: subject and group checks, scopes, classifications and labels,
 * annotations, argument checks, session age, time of day and risk.
 *
 * <ul>
 *   <li>{@code callNoRuleMatches}: a tools/call that no rule matches, so all 50 rules are
 *       evaluated and the default applies: the worst case for a call (issue 5 target: at most
 *       20 µs p50). Includes binding the variables (principal, claims, labels, arguments).
 *   <li>{@code callFirstRuleMatches}: the first rule decides.
 *   <li>{@code listEntry}: one tools/list entry, arguments unknown: the chains that hold argument
 *       rules give an unknown, and those rules are evaluated one at a time (partial evaluation).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class PolicyEvaluationBench {
  static final int RULES = 50;

  private Policy policy;
  private PolicyRequest noMatch;
  private PolicyRequest firstMatch;
  private PolicyRequest listEntry;

  /** 50 rules, none matching the benchmark's ordinary call. */
  static List<PolicyConfig.Rule> rules() {
    List<PolicyConfig.Rule> rules = new ArrayList<>();
    for (int i = 0; rules.size() < RULES; i++) {
      String when = switch (i % 10) {
        case 0 -> "principal.subject == 'blocked" + i + "'";
        case 1 -> "'contractors" + i + "' in principal.groups && tool.classification == 'restricted'";
        case 2 -> "server.name == 'payments" + i + "' && !('payments.write' in principal.scopes)";
        case 3 -> "has(arguments.path) && arguments.path.startsWith('/etc/" + i + "')";
        case 4 -> "tool.annotations.destructiveHint && 'readonly" + i + "' in principal.roles";
        case 5 -> "'pii' in tool.labels && principal.claims.dept == 'sales" + i + "'";
        case 6 -> "session.age > duration('" + (24 + i) + "h')";
        case 7 -> "time.getHours() == " + (i % 24) + " && tool.name == 'nightly_batch" + i + "'";
        case 8 -> "risk > 0.9" + i % 10;
        default -> "has(arguments.count) && arguments.count > " + (1000 + i);
      };
      rules.add(new PolicyConfig.Rule("r" + i, Effect.DENY, when, "rule " + i));
    }
    return rules;
  }

  @Setup
  public void setup() throws PolicyCompileException {
    PolicyConfig config = PolicyConfig.DEFAULT.withEnabled().withRules(new PolicyConfig.Rules(Effect.ALLOW, rules()));
    Map<String, PolicyConfig.Server> labels = Map.of("files", new PolicyConfig.Server(
        new PolicyConfig.Labels("confidential", List.of("pii")),
        Map.of("delete_file", new PolicyConfig.Labels("restricted", List.of("destructive"))), Map.of(), Map.of()));
    policy = Policy.compile(config, labels);
    Principal alice = new Principal("alice", "https://idp.bench.example", Set.of("mcp:tools", "files.read"),
        Map.of("groups", List.of("eng", "staff"), "roles", List.of("developer"), "dept", "eng", "email", "alice@example.com",
            "exp", 1_900_000_000L, "iat", 1_800_000_000L), null, "jti-1");
    ObjectNode item = JsonRpc.NODES.objectNode().put("name", "read_file").put("description", "Reads a file");
    item.putObject("annotations").put("readOnlyHint", true).put("destructiveHint", false);
    ObjectNode args = JsonRpc.NODES.objectNode().put("path", "/home/alice/notes.txt").put("count", 10);
    Instant now = Instant.parse("2026-03-02T10:15:00Z");
    PolicyRequest.Target target = new PolicyRequest.Target(Kind.TOOL, "files", "read_file", item);
    noMatch = new PolicyRequest(alice, target, args, "session-1", now.minusSeconds(600), now, 0.0);
    firstMatch = new PolicyRequest(new Principal("blocked0", "https://idp", Set.of(), Map.of(), null, null), target, args,
        "session-2", now, now, 0.0);
    listEntry = noMatch.withoutArguments();
    check(policy.decide(noMatch), true);
    check(policy.decide(firstMatch), false);
    check(policy.decide(listEntry), true);
  }

  private static void check(Decision d, boolean allowed) {
    if (d.allowed() != allowed || d.error()) {
      throw new IllegalStateException("unexpected decision " + d);
    }
  }

  @Benchmark
  public Decision callNoRuleMatches() {
    return policy.decide(noMatch);
  }

  @Benchmark
  public Decision callFirstRuleMatches() {
    return policy.decide(firstMatch);
  }

  @Benchmark
  public Decision listEntry() {
    return policy.decide(listEntry);
  }
}
