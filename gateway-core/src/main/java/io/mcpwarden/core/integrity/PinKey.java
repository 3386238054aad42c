package io.mcpwarden.core.integrity;

/**
 * Identifies one pinned definition: the upstream server, the kind of item and the name the server
 * gives it (not the namespaced name clients see).
 */
public record PinKey(String server, ItemKind kind, String name) {

  @Override
  public String toString() {
    return server + "/" + kind.label() + "/" + name;
  }
}
