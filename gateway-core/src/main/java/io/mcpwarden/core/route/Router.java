package io.mcpwarden.core.route;

import io.mcpwarden.core.backend.CallCancelledException;
import io.mcpwarden.core.backend.UpstreamCall;
import io.mcpwarden.core.backend.UpstreamSession;
import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.guard.Exchange;
import io.mcpwarden.core.guard.Guard;
import io.mcpwarden.core.guard.Outcome;
import io.mcpwarden.core.message.Envelope;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.message.JsonRpcException;
import io.mcpwarden.core.protocol.ListKind;
import io.mcpwarden.core.session.EventStream;
import io.mcpwarden.core.session.FrontSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The last step of the guard chain: resolves a request to an upstream and calls it, merging the
 * lists of all upstreams behind one session.
 *
 * <p>Only names the catalog lists can be called, so a client cannot reach a tool the gateway did
 * not expose, and upstream cursors and names never leak to the client.
 */
public final class Router implements Guard.Chain {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);
  /** MCP 2025-11-25 tool names, within the 64 characters many model providers accept. */
  public static final Pattern TOOL_NAME = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
  private static final int MAX_UPSTREAM_PAGES = 100;
  private static final int MAX_ITEMS_PER_SERVER = 10_000;
  /** How many pages' worth of filtered-out entries one list request scans before it returns a short page. */
  static final int SCAN_PAGES = 10;

  private final GatewayConfig config;
  private final Map<String, ServerConfig> servers = new LinkedHashMap<>();
  private final AtomicLong internalIds = new AtomicLong();
  private final CatalogFilter filter;
  private final TemplatePatterns templatePatterns = new TemplatePatterns();

  public Router(GatewayConfig config) {
    this(config, CatalogFilter.NONE);
  }

  /** @param filter decides which upstream items are listed and routable (tool integrity) */
  public Router(GatewayConfig config, CatalogFilter filter) {
    this.config = config;
    this.filter = filter;
    for (ServerConfig s : config.servers()) {
      servers.put(s.name(), s);
    }
  }

  @Override
  public Outcome proceed(Exchange ex) {
    Envelope req = ex.request();
    String method = req.method();
    ListKind kind = ListKind.forMethod(method);
    if (kind != null) {
      return list(ex, kind);
    }
    return switch (method) {
      case "tools/call" -> callNamed(ex, ListKind.TOOLS, "name");
      case "prompts/get" -> callNamed(ex, ListKind.PROMPTS, "name");
      case "resources/read" -> callByUri(ex, false);
      case "resources/subscribe", "resources/unsubscribe" -> callByUri(ex, true);
      case "completion/complete" -> complete(ex);
      default -> new Outcome.Deny(JsonRpc.METHOD_NOT_FOUND, "Method not found: " + method);
    };
  }

  // ---------------------------------------------------------------- lists

  private Outcome list(Exchange ex, ListKind kind) {
    FrontSession s = ex.session();
    if (!anySupports(s, kind.capability())) {
      return new Outcome.Deny(JsonRpc.METHOD_NOT_FOUND, "Method not found: " + kind.method() + " (no upstream offers " + kind.capability() + ")");
    }
    Catalog.View view = view(s, kind);
    int offset = ListCursor.decode(s.cursorKey(), kind, ex.request().param("cursor"));
    if (offset > view.items().size()) {
      throw new JsonRpcException(JsonRpc.INVALID_PARAMS, "Invalid cursor");
    }
    ObjectNode result = JsonRpc.NODES.objectNode();
    ArrayNode items = result.putArray(kind.resultKey());
    int end = fillPage(view.items(), offset, ex.listFilter(), items);
    if (end < view.items().size()) {
      result.put("nextCursor", ListCursor.encode(s.cursorKey(), kind, end));
    }
    return new Outcome.Respond(JsonRpc.result(ex.request().id(), result));
  }

  /**
   * Fills one page from {@code all}, starting at {@code offset}, with the entries {@code admits}
   * lets through (all when null): up to the page size, so hidden entries do not shorten pages.
   * Scanning stops at a full page, at the end of the list, or, once the page holds at least one
   * entry, after {@link #SCAN_PAGES} pages' worth of entries (the cost of one request stays
   * bounded when the filter hides most of a long list). A page is therefore never empty unless
   * it is the last one, and it may be short only when the filter hid most of what was scanned.
   *
   * @return the index of the first entry not examined: the next page's offset
   */
  int fillPage(List<ObjectNode> all, int offset, Predicate<ObjectNode> admits, ArrayNode page) {
    int pageSize = config.pageSize();
    long maxScan = (long) pageSize * SCAN_PAGES;
    int i = offset;
    int scanned = 0;
    while (i < all.size() && page.size() < pageSize && (scanned < maxScan || page.isEmpty())) {
      ObjectNode item = all.get(i++);
      scanned++;
      if (admits == null || admits.test(item)) {
        page.add(item.deepCopy());
      }
    }
    return i;
  }

  private static boolean anySupports(FrontSession s, String capability) {
    for (Map.Entry<String, UpstreamSession> e : s.upstreams()) {
      if (supports(e.getValue(), capability)) {
        return true;
      }
    }
    return false;
  }

  private static boolean supports(UpstreamSession u, String capability) {
    return u.isOpen() && u.initializeResult().path("capabilities").has(capability);
  }

  private Catalog catalog(FrontSession s) {
    synchronized (s.catalogLock()) {
      if (s.catalog() == null) {
        s.catalog(new Catalog());
      }
      return (Catalog) s.catalog();
    }
  }

  /** The merged list, fetching what is missing. */
  Catalog.View view(FrontSession s, ListKind kind) {
    Catalog catalog = catalog(s);
    Catalog.View view;
    boolean changed;
    synchronized (s.catalogLock()) {
      Catalog.View cached = catalog.view(kind);
      long filterVersion = filter.version();
      if (cached != null && cached.filterVersion() == filterVersion) {
        return cached;
      }
      List<ObjectNode> merged = new ArrayList<>();
      Map<String, Catalog.Route> routes = new HashMap<>();
      boolean complete = true;
      for (Map.Entry<String, UpstreamSession> e : s.upstreams()) {
        String server = e.getKey();
        UpstreamSession up = e.getValue();
        if (!supports(up, kind.capability())) {
          continue;
        }
        List<ObjectNode> items = catalog.fetched(kind, server);
        if (items == null) {
          items = fetchAll(server, up, kind);
          if (items == null) {
            // A failed fetch is not an empty list: leave it uncached so the next request retries
            // instead of hiding this server's items for the rest of the session.
            complete = false;
            continue;
          }
          catalog.store(kind, server, items);
          filter.arrived(server, kind, items);
        }
        for (ObjectNode item : items) {
          String upstreamName = item.path(kind.nameKey()).asString(null);
          if (upstreamName == null) {
            continue;
          }
          String exposed = exposedName(server, upstreamName, kind);
          if (kind.namespaced() && !TOOL_NAME.matcher(exposed).matches()) {
            LOG.warn("server {}: {} '{}' hidden: exposed name '{}' breaks the tool-name rules or exceeds 64 characters",
                server, kind.capability(), upstreamName, exposed);
            continue;
          }
          if (!filter.admits(server, kind, item)) {
            continue; // withheld (not approved): neither listed nor routable; the filter logged why
          }
          if (routes.containsKey(exposed)) {
            LOG.warn("server {}: {} '{}' hidden: name collides with one from server {}",
                server, kind.capability(), exposed, routes.get(exposed).server());
            continue;
          }
          routes.put(exposed, new Catalog.Route(server, upstreamName));
          ObjectNode copy = item.deepCopy();
          if (kind.namespaced()) {
            copy.put(kind.nameKey(), exposed);
          }
          merged.add(copy);
        }
      }
      // Tagged with the version read before the build: if decisions changed meanwhile (this build's
      // own arrivals included), the next request rebuilds from the cached lists instead of keeping a stale view.
      view = new Catalog.View(List.copyOf(merged), Map.copyOf(routes), filterVersion);
      if (complete) {
        catalog.view(kind, view);
      }
      // Only a rebuild of a list the session already had, after a filter decision (an approval,
      // a rejection, a quarantine), is news to the client: an upstream's own list_changed is
      // forwarded where it arrives, and a first build changes nothing the client has seen.
      changed = cached != null && !cached.items().equals(view.items());
    }
    if (changed) {
      announce(s, kind);
    }
    return view;
  }

  /** Sends the session's client this list's list_changed on its GET stream (none open: it sees the change at its next list). */
  private static void announce(FrontSession s, ListKind kind) {
    EventStream target = s.standaloneTarget();
    if (target != null) {
      target.append(JsonRpc.notification(kind.changedNotification(), null));
    }
  }

  /**
   * Announces each list this session has already been given in which {@code changed} holds for
   * some entry, with that list's list_changed. For decisions outside the catalog filter that
   * decide per session what its client sees, such as a policy reload (see
   * {@link ListChangeNotifier}): the entries are those of the cached list, no upstream is asked.
   * Lists the session never built are skipped, as there is nothing the client has seen to correct.
   */
  public void announceChanged(FrontSession s, BiPredicate<ListKind, ObjectNode> changed) {
    if (s.closed()) {
      return;
    }
    for (Map.Entry<ListKind, Catalog.View> cached : givenViews(s).entrySet()) {
      for (ObjectNode item : cached.getValue().items()) {
        if (changed.test(cached.getKey(), item)) {
          announce(s, cached.getKey());
          break;
        }
      }
    }
  }

  /** The lists this session has already been given, by kind, each read under the session's lock. */
  private Map<ListKind, Catalog.View> givenViews(FrontSession s) {
    Catalog catalog = catalog(s);
    Map<ListKind, Catalog.View> given = new EnumMap<>(ListKind.class);
    for (ListKind kind : ListKind.values()) {
      synchronized (s.catalogLock()) {
        Catalog.View cached = catalog.view(kind);
        if (cached != null) {
          given.put(kind, cached);
        }
      }
    }
    return given;
  }

  /**
   * Rebuilds the lists this session has already been given that a filter decision made stale;
   * each whose entries changed is announced to the client with its list_changed notification
   * (see {@link #view}). Cheap when nothing changed: no upstream is asked, cached lists are
   * re-filtered.
   */
  public void refreshViews(FrontSession s) {
    if (s.closed()) {
      return;
    }
    for (ListKind kind : givenViews(s).keySet()) {
      view(s, kind);
    }
  }

  /** The version of the filter's decisions (see {@link CatalogFilter#version()}). */
  public long filterVersion() {
    return filter.version();
  }

  String exposedName(String server, String upstreamName, ListKind kind) {
    if (!kind.namespaced()) {
      return upstreamName;
    }
    ServerConfig sc = servers.get(server);
    return sc != null && !sc.prefix() ? upstreamName : server + config.toolSeparator() + upstreamName;
  }

  /** Every page of one upstream list, or null when the upstream could not be reached. */
  private List<ObjectNode> fetchAll(String server, UpstreamSession up, ListKind kind) {
    List<ObjectNode> all = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < MAX_UPSTREAM_PAGES; page++) {
      ObjectNode params = JsonRpc.NODES.objectNode();
      if (cursor != null) {
        params.put("cursor", cursor);
      }
      ObjectNode req = JsonRpc.request(JsonRpc.NODES.stringNode("gw-" + internalIds.incrementAndGet()), kind.method(), params);
      ObjectNode resp;
      try {
        resp = up.call(req, msg -> {}).await(timeout(server));
      } catch (JsonRpcException e) {
        LOG.warn("server {}: {} failed: {}", server, kind.method(), e.getMessage());
        return null;
      }
      JsonNode result = resp.get("result");
      if (result == null) {
        LOG.warn("server {}: {} answered an error: {}", server, kind.method(), resp.path("error").path("message").asString(""));
        break; // an answer, if a negative one: cached like a list, unlike an unreachable upstream
      }
      for (JsonNode item : result.path(kind.resultKey())) {
        if (item instanceof ObjectNode o && all.size() < MAX_ITEMS_PER_SERVER) {
          all.add(o);
        }
      }
      JsonNode next = result.get("nextCursor");
      if (next == null || !next.isString() || next.asString().isEmpty()) {
        break;
      }
      cursor = next.asString();
    }
    return all;
  }

  /** Forgets a server's list after it announced a change; returns whether it was known. */
  public void invalidate(FrontSession s, String server, String changedNotification) {
    Catalog catalog = catalog(s);
    synchronized (s.catalogLock()) {
      for (ListKind k : ListKind.values()) {
        if (changedNotification == null || k.changedNotification().equals(changedNotification)) {
          catalog.invalidate(k, server);
        }
      }
    }
  }

  // ---------------------------------------------------------------- targets

  /** Where a request goes: the upstream server and, for a tool call, the server's own tool name. */
  public record Target(String server, String tool) {}

  /**
   * Where a request would be routed, without sending it, so guards can decide per server and
   * tool before the call. Null when the method does not go to one server or names nothing this
   * session offers (the router then answers the error itself).
   */
  public Target target(Exchange ex) {
    FrontSession s = ex.session();
    String method = ex.request().method();
    switch (method) {
      case "tools/call", "prompts/get" -> {
        ListKind kind = method.equals("tools/call") ? ListKind.TOOLS : ListKind.PROMPTS;
        String name = ex.request().param("name");
        if (name == null || !anySupports(s, kind.capability())) {
          return null;
        }
        Catalog.Route route = view(s, kind).routes().get(name);
        return route == null ? null : new Target(route.server(), kind == ListKind.TOOLS ? route.upstreamName() : null);
      }
      case "resources/read", "resources/subscribe", "resources/unsubscribe" -> {
        String uri = ex.request().param("uri");
        String server = uri == null ? null : serverForUri(s, uri);
        return server == null ? null : new Target(server, null);
      }
      default -> {
        return null;
      }
    }
  }

  /**
   * The server and upstream name behind an entry of an aggregated list, by the name the client
   * sees (namespaced tool or prompt name, resource URI, URI template); null when this session
   * lists no such entry. For guards that decide per entry, such as policy filtering.
   */
  public Target listed(FrontSession s, String listMethod, String exposedName) {
    ListKind kind = ListKind.forMethod(listMethod);
    if (kind == null || exposedName == null || !anySupports(s, kind.capability())) {
      return null;
    }
    Catalog.Route r = view(s, kind).routes().get(exposedName);
    return r == null ? null : new Target(r.server(), r.upstreamName());
  }

  /** The entry of an aggregated list with this exposed name, as listed (shared: do not modify), or null. */
  public ObjectNode listedItem(FrontSession s, String listMethod, String exposedName) {
    ListKind kind = ListKind.forMethod(listMethod);
    if (kind == null || exposedName == null || !anySupports(s, kind.capability())) {
      return null;
    }
    for (ObjectNode item : view(s, kind).items()) {
      if (exposedName.equals(item.path(kind.nameKey()).asString(null))) {
        return item;
      }
    }
    return null;
  }

  /**
   * The definition of the tool a {@code tools/call} names, as its server listed it (the server's
   * own name, its {@code inputSchema}), or null when the request is no call of a listed tool.
   * Content guards validate arguments against it before the call goes upstream.
   */
  public ObjectNode toolDefinition(Exchange ex) {
    if (!"tools/call".equals(ex.request().method())) {
      return null;
    }
    Target t = target(ex);
    return t == null ? null : catalog(ex.session()).item(ListKind.TOOLS, t.server(), t.tool());
  }

  // ---------------------------------------------------------------- calls

  private Outcome callNamed(Exchange ex, ListKind kind, String field) {
    String name = ex.request().param(field);
    if (name == null) {
      return new Outcome.Deny(JsonRpc.INVALID_PARAMS, "Missing or invalid params." + field);
    }
    Catalog.Route route = anySupports(ex.session(), kind.capability()) ? view(ex.session(), kind).routes().get(name) : null;
    if (route == null) {
      String what = kind == ListKind.TOOLS ? "tool" : "prompt";
      return new Outcome.Deny(JsonRpc.INVALID_PARAMS, "Unknown " + what + ": " + name);
    }
    ex.routedTo(route.server(), route.upstreamName());
    ObjectNode out = ex.request().raw().deepCopy();
    ((ObjectNode) out.get("params")).put(field, route.upstreamName());
    return forward(ex, route.server(), out);
  }

  private Outcome callByUri(Exchange ex, boolean subscription) {
    String uri = ex.request().param("uri");
    if (uri == null) {
      return new Outcome.Deny(JsonRpc.INVALID_PARAMS, "Missing or invalid params.uri");
    }
    String server = serverForUri(ex.session(), uri);
    if (server == null) {
      ObjectNode data = JsonRpc.NODES.objectNode().put("uri", uri);
      return new Outcome.Respond(JsonRpc.error(ex.request().id(), JsonRpc.RESOURCE_NOT_FOUND, "Resource not found", data));
    }
    ex.routedTo(server, uri);
    if (subscription) {
      UpstreamSession up = ex.session().upstream(server);
      if (!up.initializeResult().path("capabilities").path("resources").path("subscribe").asBoolean(false)) {
        return new Outcome.Deny(JsonRpc.METHOD_NOT_FOUND, "Server '" + server + "' does not support resource subscriptions");
      }
      Outcome o = forward(ex, server, ex.request().raw());
      if (o instanceof Outcome.Forward f && f.upstreamResponse().has("result")) {
        if ("resources/subscribe".equals(ex.request().method())) {
          ex.session().subscriptions().add(uri);
        } else {
          ex.session().subscriptions().remove(uri);
        }
      }
      return o;
    }
    return forward(ex, server, ex.request().raw());
  }

  /**
   * The server serving a URI: listed resource, then matching admitted template, then the only
   * resource server, unless a withheld template describes the URI.
   */
  String serverForUri(FrontSession s, String uri) {
    if (!anySupports(s, "resources")) {
      return null;
    }
    Catalog.Route r = view(s, ListKind.RESOURCES).routes().get(uri);
    if (r != null) {
      return r.server();
    }
    for (ObjectNode t : view(s, ListKind.TEMPLATES).items()) {
      if (templatePatterns.describes(t, uri)) {
        return view(s, ListKind.TEMPLATES).routes().get(t.path("uriTemplate").asString()).server();
      }
    }
    if (heldBackTemplate(s, uri) != null) {
      // A URI that only a withheld template describes must not reach its server by the fallback
      // below: that would serve exactly what integrity holds back until an admin approves it.
      return null;
    }
    String only = null;
    for (Map.Entry<String, UpstreamSession> e : s.upstreams()) {
      if (supports(e.getValue(), "resources")) {
        if (only != null) {
          return null;
        }
        only = e.getKey();
      }
    }
    // Fail closed: with its template list unknown (the fetch failed), no URI can be told apart
    // from one a withheld template describes.
    return only == null || catalog(s).fetched(ListKind.TEMPLATES, only) == null ? null : only;
  }

  /**
   * The resource template, not admitted by the filter (pending, quarantined, rejected), that
   * describes this URI, as server and upstream URI template; null when no withheld template of
   * this session's servers matches. Such a URI is not routed (unless a listed resource or an
   * admitted template serves it), and the integrity guard explains why.
   */
  public Target heldBackTemplate(FrontSession s, String uri) {
    if (uri == null || !anySupports(s, "resources")) {
      return null;
    }
    view(s, ListKind.TEMPLATES); // fetches the template lists this check reads
    Catalog catalog = catalog(s);
    for (Map.Entry<String, UpstreamSession> e : s.upstreams()) {
      List<ObjectNode> templates = supports(e.getValue(), "resources") ? catalog.fetched(ListKind.TEMPLATES, e.getKey()) : null;
      if (templates == null) {
        continue;
      }
      for (ObjectNode t : templates) {
        if (!filter.admits(e.getKey(), ListKind.TEMPLATES, t) && templatePatterns.describes(t, uri)) {
          return new Target(e.getKey(), t.path("uriTemplate").asString());
        }
      }
    }
    return null;
  }

  private Outcome complete(Exchange ex) {
    ObjectNode params = ex.request().params();
    JsonNode ref = params == null ? null : params.get("ref");
    if (!(ref instanceof ObjectNode refObj)) {
      return new Outcome.Deny(JsonRpc.INVALID_PARAMS, "Missing or invalid params.ref");
    }
    String type = refObj.path("type").asString("");
    ObjectNode out = ex.request().raw().deepCopy();
    ObjectNode outRef = (ObjectNode) out.get("params").get("ref");
    String server;
    if ("ref/prompt".equals(type)) {
      String name = refObj.path("name").asString("");
      Catalog.Route route = anySupports(ex.session(), "prompts") ? view(ex.session(), ListKind.PROMPTS).routes().get(name) : null;
      if (route == null) {
        return new Outcome.Deny(JsonRpc.INVALID_PARAMS, "Unknown prompt: " + name);
      }
      server = route.server();
      outRef.put("name", route.upstreamName());
    } else if ("ref/resource".equals(type)) {
      String uri = refObj.path("uri").asString("");
      Catalog.Route route = anySupports(ex.session(), "resources") ? view(ex.session(), ListKind.TEMPLATES).routes().get(uri) : null;
      server = route != null ? route.server() : serverForUri(ex.session(), uri);
      if (server == null) {
        return new Outcome.Deny(JsonRpc.INVALID_PARAMS, "Unknown resource reference: " + uri);
      }
    } else {
      return new Outcome.Deny(JsonRpc.INVALID_PARAMS, "Unsupported ref type: " + type);
    }
    if (!ex.session().upstream(server).initializeResult().path("capabilities").has("completions")) {
      ObjectNode empty = JsonRpc.NODES.objectNode();
      empty.putObject("completion").putArray("values");
      return new Outcome.Respond(JsonRpc.result(ex.request().id(), empty));
    }
    ex.routedTo(server, refObj.path("name").asString(refObj.path("uri").asString(null)));
    return forward(ex, server, out);
  }

  private Outcome forward(Exchange ex, String server, ObjectNode request) {
    UpstreamSession up = ex.session().upstream(server);
    if (up == null || !up.isOpen()) {
      return new Outcome.Deny(JsonRpc.UPSTREAM_UNAVAILABLE, "Upstream '" + server + "' is unavailable");
    }
    UpstreamCall call = up.call(request, UpstreamRelay.forCall(ex.session(), server, up, ex.related()));
    JsonNode frontId = ex.request().id();
    ex.session().inFlight().put(frontId, new FrontSession.InFlight(call, System.nanoTime()));
    try {
      return new Outcome.Forward(call.await(timeout(server)));
    } catch (CallCancelledException e) {
      return new Outcome.Cancelled(e.getMessage());
    } finally {
      ex.session().inFlight().remove(frontId);
    }
  }

  private Duration timeout(String server) {
    ServerConfig sc = servers.get(server);
    return sc == null ? Duration.ofSeconds(60) : sc.requestTimeout();
  }
}
