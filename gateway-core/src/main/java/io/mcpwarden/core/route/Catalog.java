package io.mcpwarden.core.route;

import io.mcpwarden.core.protocol.ListKind;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * One session's merged view of what its upstreams offer, with the routes back to them.
 *
 * <p>Upstream lists are fetched once and kept until that upstream says its list changed, so a
 * {@code tools/call} resolves a name without asking every server again.
 */
final class Catalog {
  /** Where an exposed name leads: the server and the name the server knows. */
  record Route(String server, String upstreamName) {}

  /** A merged list and its name → route map, built under one {@link CatalogFilter#version()}. */
  record View(List<ObjectNode> items, Map<String, Route> routes, long filterVersion) {}

  private final Map<ListKind, Map<String, List<ObjectNode>>> fetched = new EnumMap<>(ListKind.class);
  private final Map<ListKind, View> views = new EnumMap<>(ListKind.class);

  /** The upstream items of one server and list, or null when not fetched yet. */
  synchronized List<ObjectNode> fetched(ListKind kind, String server) {
    return fetched.computeIfAbsent(kind, k -> new LinkedHashMap<>()).get(server);
  }

  /** One upstream item of a server's fetched list by its own name, or null. */
  synchronized ObjectNode item(ListKind kind, String server, String name) {
    List<ObjectNode> items = fetched(kind, server);
    if (items == null || name == null) {
      return null;
    }
    for (ObjectNode item : items) {
      if (name.equals(item.path(kind.nameKey()).asString(null))) {
        return item;
      }
    }
    return null;
  }

  synchronized void store(ListKind kind, String server, List<ObjectNode> items) {
    fetched.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(server, List.copyOf(items));
    views.remove(kind);
  }

  synchronized View view(ListKind kind) {
    return views.get(kind);
  }

  synchronized void view(ListKind kind, View view) {
    views.put(kind, view);
  }

  /** Forgets one server's list of this kind (after its list_changed). */
  synchronized void invalidate(ListKind kind, String server) {
    Map<String, List<ObjectNode>> m = fetched.get(kind);
    if (m != null) {
      m.remove(server);
    }
    views.remove(kind);
  }

  /** Forgets everything a server offered (after it restarted or went away). */
  synchronized void invalidateServer(String server) {
    for (ListKind k : ListKind.values()) {
      invalidate(k, server);
    }
  }
}
