package io.mcpwarden.core.route;

import io.mcpwarden.core.guard.Exchange;
import io.mcpwarden.core.guard.PolicyGuard;
import io.mcpwarden.core.policy.PolicyRequest;
import io.mcpwarden.core.policy.PolicyRequest.Kind;
import io.mcpwarden.core.protocol.ListKind;
import io.mcpwarden.core.session.FrontSession;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tells the policy guard what a request or a list entry addresses, using the router's catalog.
 *
 * <p>Lives beside the router because only the router knows how exposed names map to servers;
 * the guard stays free of routing details.
 */
public final class PolicyTargets implements PolicyGuard.Targets {
  private final Router router;

  public PolicyTargets(Router router) {
    this.router = router;
  }

  @Override
  public PolicyRequest.Target of(Exchange ex) {
    String method = ex.request().method();
    return switch (method) {
      case "tools/call" -> named(ex, Kind.TOOL, "tools/list", ex.request().param("name"));
      case "prompts/get" -> named(ex, Kind.PROMPT, "prompts/list", ex.request().param("name"));
      case "resources/read", "resources/subscribe", "resources/unsubscribe" -> resource(ex, ex.request().param("uri"));
      case "completion/complete" -> completion(ex);
      default -> null;
    };
  }

  private PolicyRequest.Target named(Exchange ex, Kind kind, String listMethod, String exposed) {
    Router.Target t = router.listed(ex.session(), listMethod, exposed);
    return t == null ? null : new PolicyRequest.Target(kind, t.server(), t.tool(), router.listedItem(ex.session(), listMethod, exposed));
  }

  private PolicyRequest.Target resource(Exchange ex, String uri) {
    if (uri == null) {
      return null;
    }
    String server = router.serverForUri(ex.session(), uri);
    return server == null ? null
        : new PolicyRequest.Target(Kind.RESOURCE, server, uri, router.listedItem(ex.session(), "resources/list", uri));
  }

  private PolicyRequest.Target completion(Exchange ex) {
    ObjectNode params = ex.request().params();
    JsonNode ref = params == null ? null : params.get("ref");
    if (ref == null) {
      return null;
    }
    return switch (ref.path("type").asString("")) {
      case "ref/prompt" -> named(ex, Kind.PROMPT, "prompts/list", ref.path("name").asString(null));
      case "ref/resource" -> resource(ex, ref.path("uri").asString(null));
      default -> null;
    };
  }

  @Override
  public PolicyRequest.Target listed(FrontSession session, String listMethod, ObjectNode entry) {
    Kind kind = switch (listMethod) {
      case "tools/list" -> Kind.TOOL;
      case "prompts/list" -> Kind.PROMPT;
      default -> Kind.RESOURCE;
    };
    ListKind list = ListKind.forMethod(listMethod);
    if (list == null) {
      return null;
    }
    Router.Target t = router.listed(session, listMethod, entry.path(list.nameKey()).asString(null));
    return t == null ? null : new PolicyRequest.Target(kind, t.server(), t.tool(), entry);
  }
}
