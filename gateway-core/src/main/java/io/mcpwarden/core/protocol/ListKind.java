package io.mcpwarden.core.protocol;

/**
 * The four MCP list methods: the member of the result that holds the entries, the member that
 * names an entry, the capability that offers the list, and whether the gateway namespaces names.
 *
 * <p>Kept with the protocol, not the router, so every package that reads a list (the router that
 * merges it, the policy guard that filters it, tool integrity that pins it) uses the same table
 * instead of its own copy. Tools and prompts are namespaced by server; resources and templates
 * keep their URIs and are routed by them, since URIs already carry their own namespace.
 */
public enum ListKind {
  TOOLS("tools/list", "tools", "name", "tools", true),
  PROMPTS("prompts/list", "prompts", "name", "prompts", true),
  RESOURCES("resources/list", "resources", "uri", "resources", false),
  TEMPLATES("resources/templates/list", "resourceTemplates", "uriTemplate", "resources", false);

  private final String method;
  private final String resultKey;
  private final String nameKey;
  private final String capability;
  private final boolean namespaced;

  ListKind(String method, String resultKey, String nameKey, String capability, boolean namespaced) {
    this.method = method;
    this.resultKey = resultKey;
    this.nameKey = nameKey;
    this.capability = capability;
    this.namespaced = namespaced;
  }

  /** The list request's method, e.g. {@code tools/list}. */
  public String method() {
    return method;
  }

  /** The member of the list result that holds the entries, e.g. {@code resourceTemplates}. */
  public String resultKey() {
    return resultKey;
  }

  /** The member that names an entry: {@code name}, {@code uri} or {@code uriTemplate}. */
  public String nameKey() {
    return nameKey;
  }

  /** The server capability that offers this list. */
  public String capability() {
    return capability;
  }

  /** Whether the gateway prefixes entry names with their server's name. */
  public boolean namespaced() {
    return namespaced;
  }

  /** The kind listed by {@code method}, or null when it is no list method. */
  public static ListKind forMethod(String method) {
    for (ListKind k : values()) {
      if (k.method.equals(method)) {
        return k;
      }
    }
    return null;
  }

  /** The list_changed notification that invalidates this list. */
  public String changedNotification() {
    return "notifications/" + capability + "/list_changed";
  }
}
