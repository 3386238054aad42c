package io.mcpwarden.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.audit.AuditEvent;
import io.mcpwarden.core.auth.AuthContext;
import io.mcpwarden.core.auth.Principal;
import io.mcpwarden.core.backend.RelatedSink;
import io.mcpwarden.core.config.PolicyConfig;
import io.mcpwarden.core.config.PolicyConfig.Effect;
import io.mcpwarden.core.config.PolicyConfig.Rule;
import io.mcpwarden.core.message.Envelope;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.policy.LivePolicy;
import io.mcpwarden.core.policy.Policy;
import io.mcpwarden.core.policy.PolicyCompileException;
import io.mcpwarden.core.policy.PolicyRequest;
import io.mcpwarden.core.session.FrontSession;
import io.mcpwarden.core.testing.ManualClock;
import io.mcpwarden.core.testing.RecordingAuditLog;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class PolicyGuardTest {
  private static final Principal BOB = new Principal("bob", "https://idp", Set.of(), Map.of("groups", List.of("contractors")), null, null);
  private static final Principal ANN = new Principal("ann", "https://idp", Set.of(), Map.of("groups", List.of("eng")), null, null);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T10:00:00Z"));
  private final AtomicInteger served = new AtomicInteger();
  private final RecordingAuditLog audit = new RecordingAuditLog();
  private final List<AuditEvent> audited = audit.events();

  /** Tools are exposed as {@code files_<tool>}; everything belongs to server {@code files}. */
  private final PolicyGuard.Targets targets = new PolicyGuard.Targets() {
    @Override
    public PolicyRequest.Target of(Exchange ex) {
      String name = ex.request().param("name");
      return name == null || !name.startsWith("files_") ? null
          : new PolicyRequest.Target(PolicyRequest.Kind.TOOL, "files", name.substring(6), null);
    }

    @Override
    public PolicyRequest.Target listed(FrontSession session, String listMethod, ObjectNode entry) {
      String name = entry.path("name").asString();
      return !name.startsWith("files_") ? null : new PolicyRequest.Target(PolicyRequest.Kind.TOOL, "files", name.substring(6), null);
    }
  };

  private final Guard.Chain terminal = ex -> {
    served.incrementAndGet();
    if (ex.request().method().equals("tools/list")) {
      ObjectNode result = JsonRpc.NODES.objectNode();
      ArrayNode tools = result.putArray("tools");
      for (String t : List.of("files_read", "files_delete", "files_count", "elsewhere_x")) {
        tools.addObject().put("name", t);
      }
      return new Outcome.Respond(JsonRpc.result(ex.request().id(), result));
    }
    return new Outcome.Forward(JsonRpc.result(ex.request().id(), JsonRpc.NODES.objectNode()));
  };

  private static Policy policy(Rule... rules) throws PolicyCompileException {
    PolicyConfig config = PolicyConfig.DEFAULT.withEnabled().withRules(new PolicyConfig.Rules(Effect.ALLOW, List.of(rules)));
    return Policy.compile(config, Map.of());
  }

  private PolicyGuard guard(Policy p) {
    return new PolicyGuard(new LivePolicy(p), targets, audit, clock);
  }

  private static Exchange exchange(Principal who, String method, ObjectNode params) {
    FrontSession session = new FrontSession("sid-" + who.subject(), who.owner(), "2025-11-25", null, Instant.EPOCH);
    return new Exchange(Envelope.of(JsonRpc.request(JsonRpc.NODES.numberNode(1), method, params)), session, RelatedSink.NONE, 0,
        new AuthContext(who));
  }

  private static Exchange call(Principal who, String tool, ObjectNode args) {
    ObjectNode params = JsonRpc.NODES.objectNode().put("name", tool);
    if (args != null) {
      params.set("arguments", args);
    }
    return exchange(who, "tools/call", params);
  }

  private static final Rule NO_DELETE_FOR_CONTRACTORS =
      new Rule("no-delete", Effect.DENY, "'contractors' in principal.groups && tool.name == 'delete'", "contractors cannot delete");
  private static final Rule SMALL_COUNTS =
      new Rule("small-counts", Effect.DENY, "tool.name == 'count' && arguments.n > 10", "too many");

  @Test
  void aDeniedCallIsRefusedWithTheReasonAndNeverReachesTheRouter() throws Exception {
    PolicyGuard g = guard(policy(NO_DELETE_FOR_CONTRACTORS));
    Exchange ex = call(BOB, "files_delete", null);
    Outcome o = g.intercept(ex, terminal);
    assertThat(o).isInstanceOfSatisfying(Outcome.Deny.class, d -> {
      assertThat(d.code()).isEqualTo(JsonRpc.GATEWAY_DENIED);
      assertThat(d.reason()).isEqualTo("Denied by policy (rule no-delete): contractors cannot delete");
    });
    assertThat(served).hasValue(0);
    assertThat(ex.server()).isEqualTo("files"); // for the audit record
    assertThat(ex.target()).isEqualTo("delete");
    // Legitimate twin: another user, same tool.
    assertThat(g.intercept(call(ANN, "files_delete", null), terminal)).isInstanceOf(Outcome.Forward.class);
    assertThat(served).hasValue(1);
  }

  @Test
  void listsKeepOnlyWhatTheCallerMayCallAndArgumentRulesHideNothing() throws Exception {
    PolicyGuard g = guard(policy(NO_DELETE_FOR_CONTRACTORS, SMALL_COUNTS));
    Outcome bob = g.intercept(exchange(BOB, "tools/list", null), terminal);
    assertThat(names(bob)).containsExactly("files_read", "files_count"); // elsewhere_x: unknown route, not shown
    Outcome ann = g.intercept(exchange(ANN, "tools/list", null), terminal);
    assertThat(names(ann)).containsExactly("files_read", "files_delete", "files_count");
  }

  /** Like the router: applies the exchange's list filter while filling a page of two. */
  private final Guard.Chain paging = ex -> {
    ObjectNode result = JsonRpc.NODES.objectNode();
    ArrayNode tools = result.putArray("tools");
    for (String t : List.of("files_delete", "files_read", "files_delete2", "files_count")) {
      ObjectNode entry = JsonRpc.NODES.objectNode().put("name", t);
      if (tools.size() < 2 && (ex.listFilter() == null || ex.listFilter().test(entry))) {
        tools.add(entry);
      }
    }
    return new Outcome.Respond(JsonRpc.result(ex.request().id(), result));
  };

  @Test
  void theChainFillsListPagesWithWhatThePolicyShowsSoHiddenEntriesDoNotShortenThem() throws Exception {
    Rule noDelete = new Rule("no-delete", Effect.DENY, "tool.name.startsWith('delete')", "no deleting");
    PolicyGuard g = guard(policy(noDelete));
    // both deletes hidden while the page is filled: still two entries on the page
    assertThat(names(g.intercept(exchange(BOB, "tools/list", null), paging))).containsExactly("files_read", "files_count");
    // the legitimate twin: without the rule, the first two entries
    assertThat(names(guard(policy()).intercept(exchange(BOB, "tools/list", null), paging))).containsExactly("files_delete", "files_read");
  }

  @Test
  void anEntryTheChainAlreadyDecidedIsNotDecidedAgain() throws Exception {
    Rule dept = new Rule("dept", Effect.DENY, "tool.name == 'read' && principal.claims.dept != 'eng'", "eng only");
    PolicyGuard g = guard(policy(dept));
    assertThat(names(g.intercept(exchange(BOB, "tools/list", null), paging))).containsExactly("files_delete", "files_delete2");
    assertThat(audited).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo("policy.error"));
  }

  @Test
  void anEvaluationErrorDeniesTheCallAndHidesTheEntryWithAnAuditRecord() throws Exception {
    Rule dept = new Rule("dept", Effect.DENY, "tool.name == 'read' && principal.claims.dept != 'eng'", "eng only");
    PolicyGuard g = guard(policy(dept));
    Outcome o = g.intercept(call(BOB, "files_read", null), terminal);
    assertThat(o).isInstanceOfSatisfying(Outcome.Deny.class, d -> assertThat(d.reason()).contains("fail closed"));
    assertThat(names(g.intercept(exchange(BOB, "tools/list", null), terminal))).doesNotContain("files_read");
    assertThat(audited).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("policy.error");
      assertThat(e.target()).isEqualTo("read");
      assertThat(e.detail()).contains("rule dept");
    });
    // Twin: another tool is decided without touching the claim.
    assertThat(g.intercept(call(BOB, "files_count", null), terminal)).isInstanceOf(Outcome.Forward.class);
  }

  @Test
  void argumentsAreTheCallsAndMissingArgumentsAreAnEmptyObject() throws Exception {
    PolicyGuard g = guard(policy(SMALL_COUNTS,
        new Rule("needs-n", Effect.DENY, "tool.name == 'read' && !has(arguments.n)", "n required")));
    assertThat(g.intercept(call(ANN, "files_count", JsonRpc.NODES.objectNode().put("n", 11)), terminal)).isInstanceOf(Outcome.Deny.class);
    assertThat(g.intercept(call(ANN, "files_count", JsonRpc.NODES.objectNode().put("n", 3)), terminal)).isInstanceOf(Outcome.Forward.class);
    assertThat(g.intercept(call(ANN, "files_read", null), terminal)).isInstanceOfSatisfying(Outcome.Deny.class,
        d -> assertThat(d.reason()).contains("n required"));
  }

  @Test
  void argumentsThatAreNotAnObjectAreRefusedRatherThanSlippingPastTheRules() throws Exception {
    PolicyGuard g = guard(policy(SMALL_COUNTS));
    ObjectNode params = JsonRpc.NODES.objectNode().put("name", "files_count");
    params.putArray("arguments").add(50);
    assertThat(g.intercept(exchange(ANN, "tools/call", params), terminal)).isInstanceOfSatisfying(Outcome.Deny.class,
        d -> assertThat(d.code()).isEqualTo(JsonRpc.INVALID_PARAMS));
    assertThat(served).hasValue(0);
  }

  @Test
  void withoutAPolicyNothingIsFilteredOrRefused() {
    PolicyGuard g = guard(Policy.allowAll(PolicyConfig.DEFAULT));
    assertThat(g.intercept(call(BOB, "files_delete", null), terminal)).isInstanceOf(Outcome.Forward.class);
    assertThat(names(g.intercept(exchange(BOB, "tools/list", null), terminal))).hasSize(4);
  }

  @Test
  void aSwappedPolicyAppliesToTheNextRequest() throws Exception {
    LivePolicy live = new LivePolicy(policy());
    PolicyGuard g = new PolicyGuard(live, targets, audit, clock);
    assertThat(g.intercept(call(BOB, "files_delete", null), terminal)).isInstanceOf(Outcome.Forward.class);
    live.swap(policy(NO_DELETE_FOR_CONTRACTORS));
    assertThat(g.intercept(call(BOB, "files_delete", null), terminal)).isInstanceOf(Outcome.Deny.class);
  }

  private static List<String> names(Outcome o) {
    ObjectNode response = o.response(JsonRpc.NODES.numberNode(1));
    return response.path("result").path("tools").valueStream().map(t -> t.path("name").asString()).toList();
  }
}
