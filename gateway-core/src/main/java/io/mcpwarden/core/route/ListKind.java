package io.mcpwarden.core.route;

/**
 * The four aggregated MCP lists and how their items are named and routed.
 *
 * <p>Tools and prompts are namespaced by server; resources and templates keep their URIs and are
 * routed by them, since URIs already carry their own namespace.
 */
public enum ListKind {
  TOOLS("tools/list", "tools", "name", "tools", true),
  PROMPTS("prompts/list", "prompts", "name", "prompts", true),
  RESOURCES("resources/list", "resources", "uri", "resources", false),
  TEMPLATES("resources/templates/list", "resourceTemplates", "uriTemplate", "resources", false);

  final String method;
  final String resultKey;
  final String nameKey;
  final String capability;
  final boolean namespaced;

  ListKind(String method, String resultKey, String nameKey, String capability, boolean namespaced) {
    this.method = method;
    this.resultKey = resultKey;
    this.nameKey = nameKey;
    this.capability = capability;
    this.namespaced = namespaced;
  }

  static ListKind forMethod(String method) {
    for (ListKind k : values()) {
      if (k.method.equals(method)) {
        return k;
      }
    }
    return null;
  }

  /** The list_changed notification that invalidates this list. */
  String changedNotification() {
    return "notifications/" + capability + "/list_changed";
  }
}
