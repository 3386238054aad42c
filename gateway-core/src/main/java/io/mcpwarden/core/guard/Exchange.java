package io.mcpwarden.core.guard;

import io.mcpwarden.core.auth.AuthContext;
import io.mcpwarden.core.backend.RelatedSink;
import io.mcpwarden.core.message.Envelope;
import io.mcpwarden.core.session.FrontSession;
import java.util.function.Predicate;
import tools.jackson.databind.node.ObjectNode;

/**
 * One request travelling through the gateway: the message, who sent it, in which session, where
 * it was routed, and where messages related to it go.
 *
 * <p>The request itself is never mutated by guards; a guard that needs to change it creates a new
 * exchange with {@link #withRequest}.
 */
public final class Exchange {
  private final Envelope request;
  private final FrontSession session;
  private final RelatedSink related;
  private final long startNanos;
  private final AuthContext auth;
  private volatile String server;
  private volatile String target;
  private volatile Predicate<ObjectNode> listFilter;

  public Exchange(Envelope request, FrontSession session, RelatedSink related, long startNanos) {
    this(request, session, related, startNanos, null);
  }

  /** An exchange of an authenticated request; {@code auth} is null when authentication is off. */
  public Exchange(Envelope request, FrontSession session, RelatedSink related, long startNanos, AuthContext auth) {
    this.request = request;
    this.session = session;
    this.related = related;
    this.startNanos = startNanos;
    this.auth = auth;
  }

  public Envelope request() {
    return request;
  }

  public FrontSession session() {
    return session;
  }

  public String subject() {
    return session.subject();
  }

  /** Who sent this request and with which token's scopes; null when authentication is off. */
  public AuthContext auth() {
    return auth;
  }

  /** Where server-to-client messages belonging to this request go (its SSE stream). */
  public RelatedSink related() {
    return related;
  }

  public long startNanos() {
    return startNanos;
  }

  /** The upstream server the request was routed to, once known. */
  public String server() {
    return server;
  }

  /** The tool, prompt or resource addressed, once known. */
  public String target() {
    return target;
  }

  public void routedTo(String serverName, String targetName) {
    this.server = serverName;
    this.target = targetName;
  }

  /**
   * Narrows the entries a list request returns (the policy hides what the caller may not use).
   * The router applies it while it fills a page, so a page is not cut short by entries removed
   * after pagination; filters added by several guards all apply.
   *
   * @param admits tests an entry as listed (shared: read it, never modify it)
   */
  public void filterList(Predicate<ObjectNode> admits) {
    Predicate<ObjectNode> current = listFilter;
    listFilter = current == null ? admits : current.and(admits);
  }

  /** The filter list entries must pass, or null when every entry may be listed. */
  public Predicate<ObjectNode> listFilter() {
    return listFilter;
  }

  /**
   * The same request with server-to-client messages going through {@code newRelated} (a guard
   * that screens sampling requests wraps the sink this way). The route is copied now; a guard
   * using this copies the route back after the chain returns.
   */
  public Exchange withRelated(RelatedSink newRelated) {
    Exchange e = new Exchange(request, session, newRelated, startNanos, auth);
    e.server = server;
    e.target = target;
    e.listFilter = listFilter;
    return e;
  }

  public Exchange withRequest(Envelope newRequest) {
    Exchange e = new Exchange(newRequest, session, related, startNanos, auth);
    e.server = server;
    e.target = target;
    e.listFilter = listFilter;
    return e;
  }
}
