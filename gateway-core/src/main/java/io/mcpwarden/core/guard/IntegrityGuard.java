package io.mcpwarden.core.guard;

import io.mcpwarden.core.integrity.ItemKind;
import io.mcpwarden.core.integrity.PinRecord;
import io.mcpwarden.core.integrity.PinState;
import io.mcpwarden.core.integrity.ToolIntegrity;
import io.mcpwarden.core.message.JsonRpc;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Refuses {@code tools/call} and {@code prompts/get} for a tool or prompt whose definition is not
 * approved (pending, quarantined, rejected), with an error that names the state, the reason and
 * how an admin approves it.
 *
 * <p>The catalog already hides such items (see {@link ToolIntegrity} as the router's filter), so
 * the router alone would answer "unknown tool"; this guard exists so a client that remembered the
 * name learns why it is refused, and so the refusal is its own audit outcome rather than a typo.
 */
public final class IntegrityGuard implements Guard {
  private final ToolIntegrity integrity;
  private final Predicate<Exchange> routable;

  /**
   * @param routable whether the router would route this request now (its name is listed, which
   *     for a pinned kind means approved)
   */
  public IntegrityGuard(ToolIntegrity integrity, Predicate<Exchange> routable) {
    this.integrity = integrity;
    this.routable = routable;
  }

  @Override
  public Outcome intercept(Exchange exchange, Chain next) {
    String method = exchange.request().method();
    ItemKind kind = switch (method) {
      case "tools/call" -> ItemKind.TOOL;
      case "prompts/get" -> ItemKind.PROMPT;
      default -> null;
    };
    if (kind == null) {
      return next.proceed(exchange);
    }
    String name = exchange.request().param("name");
    if (name == null || routable.test(exchange)) {
      return next.proceed(exchange);
    }
    Optional<PinRecord> withheld = integrity.withheld(kind, name);
    if (withheld.isEmpty()) {
      return next.proceed(exchange); // unknown: the router answers that
    }
    PinRecord r = withheld.get();
    exchange.routedTo(r.key().server(), r.key().name());
    return new Outcome.Deny(JsonRpc.GATEWAY_DENIED, message(kind, name, r));
  }

  static String message(ItemKind kind, String name, PinRecord r) {
    String what = kind == ItemKind.TOOL ? "Tool" : "Prompt";
    String state = switch (r.state()) {
      case QUARANTINED -> "is quarantined by tool integrity";
      case PENDING -> "is pending approval";
      case REJECTED -> "was rejected by an administrator";
      case APPROVED -> "is approved";
    };
    String how = r.state() == PinState.REJECTED ? "" : " An administrator must review it (mcp-warden tools diff "
        + r.key().server() + " " + r.key().name() + (kind == ItemKind.TOOL ? "" : " --kind prompt")
        + ") and approve it (mcp-warden tools approve " + r.key().server() + " " + r.key().name()
        + (kind == ItemKind.TOOL ? "" : " --kind prompt") + ") before it can be used.";
    return what + " '" + name + "' " + state + (r.reason() == null ? "" : ": " + r.reason()) + "." + how;
  }
}
