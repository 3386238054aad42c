package io.mcpwarden.core.route;

import io.mcpwarden.core.protocol.ListKind;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decides which upstream items the merged lists show (and so which can be called), and sees every
 * upstream list as it arrives.
 *
 * <p>A small seam so the router stays ignorant of why an item is withheld (tool pinning and
 * approval today); items a filter does not admit are neither listed nor routable.
 */
public interface CatalogFilter {

  /** Admits everything. */
  CatalogFilter NONE = new CatalogFilter() {
    @Override
    public void arrived(String server, ListKind kind, List<ObjectNode> items) {}

    @Override
    public boolean admits(String server, ListKind kind, ObjectNode item) {
      return true;
    }

    @Override
    public long version() {
      return 0;
    }
  };

  /** One server's complete list of one kind, freshly fetched (first fetch or after list_changed). */
  void arrived(String server, ListKind kind, List<ObjectNode> items);

  /** Whether this upstream item (as the server listed it) may be shown and called now. */
  boolean admits(String server, ListKind kind, ObjectNode item);

  /**
   * Changes whenever {@link #admits} may answer differently (an approval, a quarantine); merged
   * views built under another version are rebuilt.
   */
  long version();
}
