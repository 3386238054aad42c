package io.mcpwarden.core.guard;

import io.mcpwarden.core.integrity.ItemKind;
import io.mcpwarden.core.integrity.PinKey;
import io.mcpwarden.core.integrity.PinRecord;
import io.mcpwarden.core.integrity.PinState;
import io.mcpwarden.core.integrity.ToolIntegrity;
import io.mcpwarden.core.message.JsonRpc;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Refuses {@code tools/call} and {@code prompts/get} for a tool or prompt whose definition is not
 * approved (pending, quarantined, rejected), and {@code resources/read} and subscriptions for a
 * URI only a withheld resource template describes, with an error that names the state, the reason
 * and how an admin approves it.
 *
 * <p>The catalog already hides such items (see {@link ToolIntegrity} as the router's filter), so
 * the router alone would answer "unknown tool"; this guard exists so a client that remembered the
 * name learns why it is refused, and so the refusal is its own audit outcome rather than a typo.
 */
public final class IntegrityGuard implements Guard {
  private final ToolIntegrity integrity;
  private final Predicate<Exchange> routable;
  private final Function<Exchange, PinKey> heldBackTemplate;

  /**
   * @param routable whether the router would route this request now (its name is listed, which
   *     for a pinned kind means approved)
   */
  public IntegrityGuard(ToolIntegrity integrity, Predicate<Exchange> routable) {
    this(integrity, routable, ex -> null);
  }

  /**
   * @param heldBackTemplate for a request naming a URI, the withheld resource template that
   *     describes it (server and upstream URI template), or null; such a URI is not routed
   */
  public IntegrityGuard(ToolIntegrity integrity, Predicate<Exchange> routable, Function<Exchange, PinKey> heldBackTemplate) {
    this.integrity = integrity;
    this.routable = routable;
    this.heldBackTemplate = heldBackTemplate;
  }

  @Override
  public Outcome intercept(Exchange exchange, Chain next) {
    String method = exchange.request().method();
    ItemKind kind = switch (method) {
      case "tools/call" -> ItemKind.TOOL;
      case "prompts/get" -> ItemKind.PROMPT;
      case "resources/read", "resources/subscribe", "resources/unsubscribe" -> ItemKind.RESOURCE_TEMPLATE;
      default -> null;
    };
    if (kind == null) {
      return next.proceed(exchange);
    }
    String name = exchange.request().param(kind == ItemKind.RESOURCE_TEMPLATE ? "uri" : "name");
    if (name == null || routable.test(exchange)) {
      return next.proceed(exchange);
    }
    Optional<PinRecord> withheld;
    if (kind == ItemKind.RESOURCE_TEMPLATE) {
      PinKey key = heldBackTemplate.apply(exchange);
      withheld = key == null ? Optional.empty() : integrity.record(key).filter(r -> r.state() != PinState.APPROVED);
    } else {
      withheld = integrity.withheld(kind, name);
    }
    if (withheld.isEmpty()) {
      return next.proceed(exchange); // unknown: the router answers that
    }
    PinRecord r = withheld.get();
    exchange.routedTo(r.key().server(), kind == ItemKind.RESOURCE_TEMPLATE ? name : r.key().name());
    return new Outcome.Deny(JsonRpc.GATEWAY_DENIED, message(kind, name, r));
  }

  static String message(ItemKind kind, String name, PinRecord r) {
    String what = switch (kind) {
      case TOOL -> "Tool";
      case PROMPT -> "Prompt";
      case RESOURCE_TEMPLATE -> "Resource '" + name + "': its resource template";
    };
    String shown = kind == ItemKind.RESOURCE_TEMPLATE ? r.key().name() : name;
    String kindOption = kind == ItemKind.TOOL ? "" : " --kind " + kind.label();
    String state = switch (r.state()) {
      case QUARANTINED -> "is quarantined by tool integrity";
      case PENDING -> "is pending approval";
      case REJECTED -> "was rejected by an administrator";
      case APPROVED -> "is approved";
    };
    String how = r.state() == PinState.REJECTED ? "" : " An administrator must review it (mcp-warden tools diff "
        + r.key().server() + " " + r.key().name() + kindOption
        + ") and approve it (mcp-warden tools approve " + r.key().server() + " " + r.key().name()
        + kindOption + ") before it can be used.";
    return what + " '" + shown + "' " + state + (r.reason() == null ? "" : ": " + r.reason()) + "." + how;
  }
}
