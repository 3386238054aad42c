package io.mcpwarden.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpwarden.core.auth.Principal;
import io.mcpwarden.core.config.PolicyConfig;
import io.mcpwarden.core.config.PolicyConfig.Effect;
import io.mcpwarden.core.config.PolicyConfig.Rule;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.policy.PolicyRequest.Kind;
import io.mcpwarden.core.policy.PolicyRequest.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class PolicyTest {
  private static final Instant NOW = Instant.parse("2026-03-02T10:15:00Z");
  private static final Principal ALICE = new Principal("alice", "https://idp", Set.of("files.read"),
      Map.of("groups", List.of("eng", "admins"), "roles", "auditor viewer", "dept", "eng", "level", 3), null, null);
  private static final Principal BOB = new Principal("bob", "https://idp", Set.of(),
      Map.of("groups", List.of("contractors")), null, null);
  private static final Map<String, PolicyConfig.Server> LABELS = Map.of(
      "files", new PolicyConfig.Server(new PolicyConfig.Labels("confidential", List.of("pii")),
          Map.of("delete_file", new PolicyConfig.Labels("restricted", List.of("destructive"))),
          Map.of(), Map.of("file:///public/*", new PolicyConfig.Labels("public", List.of()))));

  private static PolicyConfig config(Effect dflt, Rule... rules) {
    return PolicyConfig.DEFAULT.withRules(new PolicyConfig.Rules(dflt, List.of(rules)))
        .withEnabled();
  }

  private static Policy policy(Effect dflt, Rule... rules) {
    try {
      return Policy.compile(config(dflt, rules), LABELS);
    } catch (PolicyCompileException e) {
      throw new AssertionError(e.problems().toString(), e);
    }
  }

  private static Rule allow(String name, String when) {
    return new Rule(name, Effect.ALLOW, when, null);
  }

  private static Rule deny(String name, String when, String reason) {
    return new Rule(name, Effect.DENY, when, reason);
  }

  private static PolicyRequest call(Principal p, String server, String tool, ObjectNode args) {
    ObjectNode item = JsonRpc.NODES.objectNode().put("name", tool).put("description", "a tool");
    return new PolicyRequest(p, new Target(Kind.TOOL, server, tool, item), args, "sid-1", NOW.minusSeconds(90), NOW, 0.0);
  }

  private static ObjectNode args(String key, Object value) {
    ObjectNode o = JsonRpc.NODES.objectNode();
    switch (value) {
      case String s -> o.put(key, s);
      case Integer i -> o.put(key, i);
      default -> throw new IllegalArgumentException();
    }
    return o;
  }

  private static ObjectNode noArgs() {
    return JsonRpc.NODES.objectNode();
  }

  // ------------------------------------------------------------ compile errors

  @Test
  void aSyntaxErrorIsReportedWithItsRuleAndPosition() {
    assertThatThrownBy(() -> Policy.compile(config(Effect.DENY, allow("ok", "true"), allow("broken", "principal.subject == ")), LABELS))
        .isInstanceOfSatisfying(PolicyCompileException.class, e -> {
          PolicyCompileException.Problem p = e.problems().getFirst();
          assertThat(p.rule()).isEqualTo(1);
          assertThat(p.field()).isEqualTo("when");
          assertThat(p.line()).isEqualTo(1);
          assertThat(p.column()).isEqualTo(22);
          assertThat(p.describe()).startsWith("line 1, column 22: ");
        });
  }

  @Test
  void aTypeErrorAnUndeclaredVariableAndANonBoolResultAreCompileErrors() {
    assertThatThrownBy(() -> Policy.compile(config(Effect.DENY,
        allow("a", "risk + 'x' == 1"), allow("b", "user.name == 'x'"), allow("c", "principal.subject")), LABELS))
        .isInstanceOfSatisfying(PolicyCompileException.class, e -> {
          assertThat(e.problems()).extracting(PolicyCompileException.Problem::rule).contains(0, 1);
          assertThat(e.problems().stream().filter(p -> p.rule() == 1).findFirst().orElseThrow().message())
              .contains("undeclared reference to 'user'");
        });
    assertThatThrownBy(() -> Policy.compile(config(Effect.DENY, allow("num", "risk")), LABELS))
        .isInstanceOfSatisfying(PolicyCompileException.class, e -> assertThat(e.problems().getFirst().message()).contains("bool"));
  }

  @Test
  void aMisspelledFieldOfAFixedVariableIsACompileErrorButOpenMapsAreNot() {
    assertThatThrownBy(() -> Policy.compile(config(Effect.DENY, allow("typo", "true && principal.subjet == 'alice'")), LABELS))
        .isInstanceOfSatisfying(PolicyCompileException.class, e -> {
          PolicyCompileException.Problem p = e.problems().getFirst();
          assertThat(p.message()).contains("unknown field 'subjet' of principal");
          assertThat(p.line()).isEqualTo(1);
          assertThat(p.column()).isEqualTo(18);
        });
    // claims, annotations and arguments are open: any key compiles.
    policy(Effect.DENY, allow("open", "principal.claims.anything == 1 || tool.annotations.x == true || arguments.y == 2"));
  }

  @Test
  void duplicateRuleNamesAreRefused() {
    assertThatThrownBy(() -> Policy.compile(config(Effect.DENY, allow("same", "true"), allow("same", "false")), LABELS))
        .isInstanceOfSatisfying(PolicyCompileException.class, e -> assertThat(e.problems().getFirst().message()).contains("duplicate"));
  }

  // ------------------------------------------------------------ variables

  @Test
  void principalSubjectScopesGroupsRolesAndClaims() {
    Policy p = policy(Effect.DENY,
        allow("subject", "principal.subject == 'alice' && principal.authenticated && principal.issuer == 'https://idp' && tool.name == 't1'"),
        allow("scope", "'files.read' in principal.scopes && tool.name == 't2'"),
        allow("group", "'admins' in principal.groups && tool.name == 't3'"),
        allow("role", "'viewer' in principal.roles && tool.name == 't4'"),
        allow("claim", "principal.claims.dept == 'eng' && principal.claims.level >= 3 && tool.name == 't5'"));
    for (String t : List.of("t1", "t2", "t3", "t4", "t5")) {
      assertThat(p.decide(call(ALICE, "files", t, noArgs())).allowed()).as(t).isTrue();
      assertThat(p.decide(call(BOB, "files", t, noArgs())).allowed()).as(t).isFalse();
    }
  }

  @Test
  void anonymousPrincipalIsNotAuthenticated() {
    Policy p = policy(Effect.DENY, allow("signed-in", "principal.authenticated"));
    assertThat(p.decide(call(Principal.ANONYMOUS, "files", "read_file", noArgs())).allowed()).isFalse();
    assertThat(p.decide(call(ALICE, "files", "read_file", noArgs())).allowed()).isTrue();
  }

  @Test
  void serverAndToolClassificationLevelsAndLabelsWithInheritance() {
    Policy p = policy(Effect.ALLOW,
        deny("restricted", "tool.classification == 'restricted' && !('admins' in principal.groups)", "restricted tool"),
        deny("pii", "'pii' in server.labels && tool.level >= 2 && principal.subject == 'bob'", "no pii for bob"));
    // delete_file is restricted; read_file inherits the server's confidential classification.
    assertThat(p.decide(call(BOB, "files", "delete_file", noArgs())).reason()).isEqualTo("restricted tool");
    assertThat(p.decide(call(ALICE, "files", "delete_file", noArgs())).allowed()).isTrue();
    assertThat(p.decide(call(BOB, "files", "read_file", noArgs())).reason()).isEqualTo("no pii for bob");
    assertThat(p.decide(call(BOB, "other", "read_file", noArgs())).allowed()).isTrue(); // unlabelled server: internal
    Policy levels = policy(Effect.DENY, allow("internal-or-lower", "server.classification == 'internal' && server.level == 1 && tool.level == 1"));
    assertThat(levels.decide(call(BOB, "other", "x", noArgs())).allowed()).isTrue();
  }

  @Test
  void resourcesMatchLabelsByUriPrefixAndToolVariablesStayEmpty() {
    Policy p = policy(Effect.DENY,
        allow("public", "kind == 'resource' && resource.classification == 'public' && resource.uri.startsWith('file:///public/')"),
        deny("no-tools", "tool.name == 'x'", "never for resources"));
    PolicyRequest pub = new PolicyRequest(BOB, new Target(Kind.RESOURCE, "files", "file:///public/a.txt", null), noArgs(), null, null, NOW, 0);
    PolicyRequest secret = new PolicyRequest(BOB, new Target(Kind.RESOURCE, "files", "file:///home/a.txt", null), noArgs(), null, null, NOW, 0);
    assertThat(p.decide(pub).allowed()).isTrue();
    assertThat(p.decide(secret).allowed()).isFalse();
    assertThat(p.decide(secret).error()).isFalse();
  }

  @Test
  void argumentsSessionTimeRiskAndAnnotations() {
    Policy p = policy(Effect.ALLOW,
        deny("etc", "has(arguments.path) && arguments.path.startsWith('/etc/')", "no /etc"),
        deny("big", "has(arguments.count) && arguments.count > 100", "too many"),
        deny("old-session", "session.age > duration('1h')", "session too old"),
        deny("night", "time.getHours() < 6", "not at night"),
        deny("risky", "risk > 0.5", "risky"),
        deny("destructive", "tool.annotations.destructiveHint && principal.subject == 'bob'", "destructive"),
        deny("session-pin", "session.id == '" + PolicyVariables.hash("sid-evil") + "'", "pinned session"));
    assertThat(p.decide(call(ALICE, "files", "read_file", args("path", "/etc/passwd"))).reason()).isEqualTo("no /etc");
    assertThat(p.decide(call(ALICE, "files", "read_file", args("path", "/home/a"))).allowed()).isTrue();
    assertThat(p.decide(call(ALICE, "files", "read_file", args("count", 101))).reason()).isEqualTo("too many");
    assertThat(p.decide(call(ALICE, "files", "read_file", args("count", 100))).allowed()).isTrue();
    PolicyRequest old = new PolicyRequest(ALICE, call(ALICE, "files", "x", noArgs()).target(), noArgs(), "sid-1", NOW.minus(Duration.ofHours(2)), NOW, 0);
    assertThat(p.decide(old).reason()).isEqualTo("session too old");
    PolicyRequest night = new PolicyRequest(ALICE, old.target(), noArgs(), "sid-1", NOW, Instant.parse("2026-03-02T03:00:00Z"), 0);
    assertThat(p.decide(night).reason()).isEqualTo("not at night");
    PolicyRequest risky = new PolicyRequest(ALICE, old.target(), noArgs(), "sid-1", NOW, NOW, 0.9);
    assertThat(p.decide(risky).reason()).isEqualTo("risky");
    // No annotations listed: MCP's defaults apply, destructiveHint true.
    assertThat(p.decide(call(BOB, "files", "read_file", noArgs())).reason()).isEqualTo("destructive");
    ObjectNode readOnly = JsonRpc.NODES.objectNode().put("name", "read_file");
    readOnly.putObject("annotations").put("destructiveHint", false);
    assertThat(p.decide(new PolicyRequest(BOB, new Target(Kind.TOOL, "files", "read_file", readOnly), noArgs(), "sid-2", NOW, NOW, 0)).allowed()).isTrue();
    PolicyRequest pinned = new PolicyRequest(ALICE, old.target(), noArgs(), "sid-evil", NOW, NOW, 0);
    assertThat(p.decide(pinned).reason()).isEqualTo("pinned session");
  }

  @Test
  void timeZonesRegexesAndStringExtensionsAreAvailable() {
    Policy p = policy(Effect.DENY,
        allow("berlin-morning", "time.getHours('Europe/Berlin') == 11 && tool.name.lowerAscii() == 'read_file'"),
        allow("system-path", "has(arguments.path) && arguments.path.matches('^/(etc|root)(/|$)')"));
    assertThat(p.decide(call(ALICE, "files", "READ_FILE", noArgs())).rule()).isEqualTo("berlin-morning"); // 10:15Z is 11:15 in Berlin
    assertThat(p.decide(call(ALICE, "files", "x", args("path", "/etc/passwd"))).rule()).isEqualTo("system-path");
    assertThat(p.decide(call(ALICE, "files", "x", args("path", "/etcetera"))).allowed()).isFalse();
  }

  // ------------------------------------------------------------ precedence and default

  @Test
  void theFirstMatchingRuleWinsInOrder() {
    Policy denyFirst = policy(Effect.ALLOW, deny("d", "principal.subject == 'alice'", "first"), allow("a", "true"));
    Policy allowFirst = policy(Effect.DENY, allow("a", "principal.subject == 'alice'"), deny("d", "true", "second"));
    assertThat(denyFirst.decide(call(ALICE, "files", "t", noArgs())).rule()).isEqualTo("d");
    assertThat(allowFirst.decide(call(ALICE, "files", "t", noArgs())).rule()).isEqualTo("a");
    assertThat(allowFirst.decide(call(BOB, "files", "t", noArgs())).reason()).isEqualTo("second");
  }

  @Test
  void theDefaultEffectAppliesWhenNoRuleMatches() {
    Decision deny = policy(Effect.DENY, allow("never", "false")).decide(call(ALICE, "files", "t", noArgs()));
    assertThat(deny.allowed()).isFalse();
    assertThat(deny.rule()).isNull();
    assertThat(deny.reason()).contains("default deny");
    assertThat(policy(Effect.ALLOW, deny("never", "false", "x")).decide(call(ALICE, "files", "t", noArgs())).allowed()).isTrue();
  }

  @Test
  void withoutAPolicySectionEverythingIsAllowedAndNothingEvaluated() {
    Policy p = Policy.allowAll(PolicyConfig.DEFAULT);
    assertThat(p.enforcing()).isFalse();
    assertThat(p.decide(call(BOB, "files", "delete_file", noArgs())).allowed()).isTrue();
  }

  @Test
  void longRuleListsAreChainedAndStillDecideInOrder() {
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rules.add(deny("r" + i, "tool.name == 'tool" + i + "'", "rule " + i));
    }
    Policy p = policy(Effect.ALLOW, rules.toArray(Rule[]::new));
    assertThat(p.decide(call(ALICE, "files", "tool0", noArgs())).reason()).isEqualTo("rule 0");
    assertThat(p.decide(call(ALICE, "files", "tool40", noArgs())).reason()).isEqualTo("rule 40");
    assertThat(p.decide(call(ALICE, "files", "tool99", noArgs())).reason()).isEqualTo("rule 99");
    assertThat(p.decide(call(ALICE, "files", "tool100", noArgs())).allowed()).isTrue();
  }

  // ------------------------------------------------------------ fail closed

  @Test
  void aMissingKeyAtEvaluationDeniesAndNamesTheRule() {
    Policy p = policy(Effect.ALLOW, deny("needs-dept", "principal.claims.dept != 'eng'", "not eng"));
    Decision bob = p.decide(call(BOB, "files", "t", noArgs())); // bob has no dept claim
    assertThat(bob.allowed()).isFalse();
    assertThat(bob.error()).isTrue();
    assertThat(bob.rule()).isEqualTo("needs-dept");
    assertThat(bob.reason()).contains("fail closed").contains("dept");
    // Legitimate twin: the claim is there, the rule evaluates, no error.
    Decision alice = p.decide(call(ALICE, "files", "t", noArgs()));
    assertThat(alice.allowed()).isTrue();
    assertThat(alice.error()).isFalse();
  }

  @Test
  void aTypeErrorAtEvaluationDenies() {
    Policy p = policy(Effect.ALLOW, deny("count", "arguments.count > 5", "too many"));
    Decision d = p.decide(call(ALICE, "files", "t", args("count", "seven")));
    assertThat(d.allowed()).isFalse();
    assertThat(d.error()).isTrue();
    assertThat(p.decide(call(ALICE, "files", "t", args("count", 3))).allowed()).isTrue();
  }

  @Test
  void anErrorInALaterRuleDoesNotMatterWhenAnEarlierRuleDecides() {
    Policy p = policy(Effect.DENY, allow("alice", "principal.subject == 'alice'"), allow("dept", "principal.claims.dept == 'x'"));
    assertThat(p.decide(call(ALICE, "files", "t", noArgs())).allowed()).isTrue();
    assertThat(p.decide(call(BOB, "files", "t", noArgs())).error()).isTrue();
  }

  // ------------------------------------------------------------ lists (arguments unknown)

  @Test
  void aRuleOnArgumentsDoesNotHideTheToolButOneWithoutArgumentsDoes() {
    Policy p = policy(Effect.ALLOW,
        deny("etc", "arguments.path.startsWith('/etc/')", "no /etc"),
        deny("contractors", "'contractors' in principal.groups && tool.name == 'delete_file'", "contractors cannot delete"));
    PolicyRequest listRead = call(BOB, "files", "read_file", null);
    PolicyRequest listDelete = call(BOB, "files", "delete_file", null);
    assertThat(p.decide(listRead).allowed()).isTrue();
    assertThat(p.decide(listDelete).allowed()).isFalse();
    assertThat(p.decide(call(ALICE, "files", "delete_file", null)).allowed()).isTrue();
    // The call itself is still decided on its arguments.
    assertThat(p.decide(call(BOB, "files", "read_file", args("path", "/etc/shadow"))).allowed()).isFalse();
  }

  @Test
  void underDefaultDenyAnAllowRuleOnArgumentsKeepsTheToolVisible() {
    Policy p = policy(Effect.DENY, allow("small", "principal.subject == 'alice' && arguments.count < 10"));
    assertThat(p.decide(call(ALICE, "files", "t", null)).allowed()).isTrue();
    assertThat(p.decide(call(BOB, "files", "t", null)).allowed()).isFalse(); // decided without the arguments
    assertThat(p.decide(call(ALICE, "files", "t", args("count", 50))).allowed()).isFalse();
  }

  @Test
  void anErrorWhileListingHidesTheEntry() {
    Policy p = policy(Effect.ALLOW, deny("dept", "principal.claims.dept != 'eng'", "x"));
    Decision d = p.decide(call(BOB, "files", "t", null));
    assertThat(d.allowed()).isFalse();
    assertThat(d.error()).isTrue();
    assertThat(p.decide(call(ALICE, "files", "t", null)).allowed()).isTrue();
  }

  // ------------------------------------------------------------ reload

  @Test
  void aSwapIsAtomicForConcurrentReaders() throws Exception {
    Policy allowAll = policy(Effect.ALLOW, allow("a", "true"));
    Policy denyAll = policy(Effect.DENY, deny("d", "true", "deny"));
    LivePolicy live = new LivePolicy(allowAll);
    AtomicBoolean mixed = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    Thread reader = Thread.ofPlatform().start(() -> {
      started.countDown();
      while (!stop.get()) {
        Policy current = live.get();
        Decision d = current.decide(call(ALICE, "files", "t", noArgs()));
        // A decision always comes whole from one policy: its rule and effect agree.
        if (d.allowed() != "a".equals(d.rule())) {
          mixed.set(true);
        }
      }
    });
    started.await();
    for (int i = 0; i < 200; i++) {
      live.swap(i % 2 == 0 ? denyAll : allowAll);
    }
    stop.set(true);
    reader.join();
    assertThat(mixed).isFalse();
    assertThat(live.version()).isEqualTo(201);
    assertThat(live.get().decide(call(ALICE, "files", "t", noArgs())).allowed()).isTrue();
  }
}
