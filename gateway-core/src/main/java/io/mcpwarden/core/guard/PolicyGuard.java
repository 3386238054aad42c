package io.mcpwarden.core.guard;

import io.mcpwarden.core.audit.AuditEvent;
import io.mcpwarden.core.audit.AuditLog;
import io.mcpwarden.core.auth.Principal;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.policy.Decision;
import io.mcpwarden.core.policy.LivePolicy;
import io.mcpwarden.core.policy.Policy;
import io.mcpwarden.core.policy.PolicyRequest;
import io.mcpwarden.core.protocol.ListKind;
import io.mcpwarden.core.session.FrontSession;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies the access policy: refuses calls it denies and removes from lists what the caller
 * could not call.
 *
 * <p>Both go through {@link Policy#decide}, list entries with the arguments unknown, so a list
 * never shows a tool, prompt or resource every call to which would be refused. A denial is a
 * {@code -32001} error naming the rule's reason, audited like every request; an evaluation error
 * denies (fail closed) and, when it only hides a list entry, is audited as {@code policy.error}.
 */
public final class PolicyGuard implements Guard {
  private static final Set<String> ADDRESSED =
      Set.of("tools/call", "prompts/get", "resources/read", "resources/subscribe", "completion/complete");

  /** What requests and list entries address; implemented next to the router. */
  public interface Targets {
    /** The tool, prompt or resource a request addresses, or null when it names none this session offers. */
    PolicyRequest.Target of(Exchange exchange);

    /** What an entry of the session's list {@code listMethod} leads to, or null when unknown. */
    PolicyRequest.Target listed(FrontSession session, String listMethod, ObjectNode entry);
  }

  private final LivePolicy policy;
  private final Targets targets;
  private final AuditLog audit;
  private final Clock clock;

  public PolicyGuard(LivePolicy policy, Targets targets, AuditLog audit, Clock clock) {
    this.policy = policy;
    this.targets = targets;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public Outcome intercept(Exchange exchange, Chain next) {
    Policy p = policy.get(); // read once: one request, one policy version
    if (!p.enforcing()) {
      return next.proceed(exchange);
    }
    String method = exchange.request().method();
    if (ADDRESSED.contains(method)) {
      PolicyRequest.Target target = targets.of(exchange);
      if (target == null) {
        return next.proceed(exchange); // names nothing this session offers: the router answers that
      }
      JsonNode args = exchange.request().params() == null ? null : exchange.request().params().get("arguments");
      if (args != null && !args.isNull() && !(args instanceof ObjectNode)) {
        // Rules see arguments as a map; anything else would slip past them to the upstream.
        return new Outcome.Deny(JsonRpc.INVALID_PARAMS, "Invalid params.arguments: must be an object");
      }
      // Only tools/call and prompts/get carry arguments; other requests are decided as calls
      // without any, and a missing arguments object is an empty one, never "unknown".
      PolicyRequest request = request(principal(exchange), exchange.session(), target,
          args instanceof ObjectNode o ? o : JsonRpc.NODES.objectNode(), clock.instant());
      Decision d = p.decide(request);
      if (!d.allowed()) {
        exchange.routedTo(target.server(), target.name());
        return new Outcome.Deny(JsonRpc.GATEWAY_DENIED, "Denied by policy" + (d.rule() == null ? "" : " (rule " + d.rule() + ")")
            + ": " + d.reason());
      }
      return next.proceed(exchange);
    }
    ListKind kind = ListKind.forMethod(method);
    if (kind == null) {
      return next.proceed(exchange);
    }
    // The router applies the decision while it fills a page (so hidden entries do not leave short
    // or empty pages); the pass over the result afterwards reuses those decisions and decides any
    // entry the router did not ask about, so the list is filtered whatever the chain below did.
    String nameKey = kind.nameKey();
    Map<String, Boolean> decided = new HashMap<>();
    exchange.filterList(entry -> shown(exchange, p, method, entry, nameKey, decided));
    Outcome outcome = next.proceed(exchange);
    if (outcome instanceof Outcome.Respond r && r.gatewayResponse().path("result").get(kind.resultKey()) instanceof ArrayNode entries) {
      for (int i = entries.size() - 1; i >= 0; i--) {
        if (entries.get(i) instanceof ObjectNode entry && !shown(exchange, p, method, entry, nameKey, decided)) {
          entries.remove(i);
        }
      }
    }
    return outcome;
  }

  /** Whether the caller may see this list entry; decided once per name and request. */
  private boolean shown(Exchange exchange, Policy p, String method, ObjectNode entry, String nameKey, Map<String, Boolean> decided) {
    String name = entry.path(nameKey).asString(null);
    Boolean known = name == null ? null : decided.get(name);
    if (known != null) {
      return known;
    }
    boolean allowed = decide(exchange, p, method, entry);
    if (name != null) {
      decided.put(name, allowed);
    }
    return allowed;
  }

  private boolean decide(Exchange exchange, Policy p, String method, ObjectNode entry) {
    PolicyRequest.Target target = targets.listed(exchange.session(), method, entry);
    if (target == null) {
      return false; // cannot tell what it leads to: not shown (fail closed)
    }
    Decision d = p.decide(request(principal(exchange), exchange.session(), target, null, clock.instant()));
    if (!d.allowed() && d.error()) {
      audit.append(new AuditEvent(clock.instant(), "policy.error", exchange.subject(), exchange.session().id(), method,
          target.server(), target.name(), "deny", 200, 0, 0, d.reason()));
    }
    return d.allowed();
  }

  /** The policy in force now; a reload puts another object in force (compare by identity). */
  public Policy inForce() {
    return policy.get();
  }

  /**
   * Whether replacing policy {@code before} with {@code after} changes whether this entry of the
   * session's list {@code kind} is shown to the session's principal (the one of its latest request),
   * decided as list filtering decides it, both at the same instant. An entry that leads nowhere
   * known is hidden under both; an evaluation error hides under either (fail closed), unaudited
   * here since nothing is refused: this only tells whether to announce a list change.
   */
  public boolean visibilityChanged(Policy before, Policy after, FrontSession session, ListKind kind, ObjectNode entry) {
    PolicyRequest.Target target = targets.listed(session, kind.method(), entry);
    if (target == null) {
      return false;
    }
    PolicyRequest request = request(session.principal(), session, target, null, clock.instant());
    return shown(before, request) != shown(after, request);
  }

  private static boolean shown(Policy p, PolicyRequest listEntry) {
    return !p.enforcing() || p.decide(listEntry).allowed();
  }

  private static Principal principal(Exchange exchange) {
    return exchange.auth() == null ? Principal.ANONYMOUS : exchange.auth().principal();
  }

  private static PolicyRequest request(Principal principal, FrontSession session, PolicyRequest.Target target, JsonNode arguments,
      Instant now) {
    return new PolicyRequest(principal, target, arguments, session.id(), session.createdAt(), now, 0.0);
  }
}
