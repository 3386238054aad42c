package io.mcpwarden.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.audit.AuditLog;
import io.mcpwarden.core.auth.Principal;
import io.mcpwarden.core.backend.RelatedSink;
import io.mcpwarden.core.backend.UpstreamCall;
import io.mcpwarden.core.backend.UpstreamSession;
import io.mcpwarden.core.config.AuditConfig;
import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.PolicyConfig;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.guard.Exchange;
import io.mcpwarden.core.guard.Outcome;
import io.mcpwarden.core.guard.PolicyGuard;
import io.mcpwarden.core.message.Envelope;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.policy.LivePolicy;
import io.mcpwarden.core.policy.Policy;
import io.mcpwarden.core.policy.PolicyCompileException;
import io.mcpwarden.core.protocol.ListKind;
import io.mcpwarden.core.session.EventStream;
import io.mcpwarden.core.session.FrontSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The router with a catalog filter (tool integrity's seat): withheld resource templates do not
 * route, filtered list pages stay full and are never empty with a next cursor, and a filter
 * decision that changes a session's visible list is announced with list_changed.
 */
class RouterFilteringTest {

  /** A filter admitting what the test says, with a version bumped on each decision. */
  static final class Decisions implements CatalogFilter {
    final Set<String> withheld = ConcurrentHashMap.newKeySet();
    final AtomicLong version = new AtomicLong();

    void withhold(String name) {
      withheld.add(name);
      version.incrementAndGet();
    }

    void admit(String name) {
      withheld.remove(name);
      version.incrementAndGet();
    }

    @Override
    public void arrived(String server, ListKind kind, List<ObjectNode> items) {}

    @Override
    public boolean admits(String server, ListKind kind, ObjectNode item) {
      return !withheld.contains(item.path(kind.nameKey()).asString(""));
    }

    @Override
    public long version() {
      return version.get();
    }
  }

  /** An upstream answering lists from memory and recording every method it was sent. */
  static final class Upstream implements UpstreamSession {
    final Map<String, List<ObjectNode>> lists = new ConcurrentHashMap<>();
    final List<String> received = new CopyOnWriteArrayList<>();

    @Override
    public ObjectNode initializeResult() {
      ObjectNode r = JsonRpc.NODES.objectNode();
      ObjectNode caps = r.putObject("capabilities");
      caps.putObject("tools");
      caps.putObject("resources");
      return r;
    }

    @Override
    public String protocolVersion() {
      return "2025-11-25";
    }

    @Override
    public UpstreamCall call(ObjectNode request, RelatedSink related) {
      String method = request.path("method").asString();
      received.add(method);
      ObjectNode result = JsonRpc.NODES.objectNode();
      ListKind kind = ListKind.forMethod(method);
      if (kind != null) {
        ArrayNode items = result.putArray(kind.resultKey());
        lists.getOrDefault(method, List.of()).forEach(items::add);
      } else if (method.equals("resources/read")) {
        result.putArray("contents").addObject().put("uri", request.path("params").path("uri").asString()).put("text", "content");
      }
      return new UpstreamCall(CompletableFuture.completedFuture(JsonRpc.result(request.get("id"), result)), reason -> {});
    }

    @Override
    public void notify(ObjectNode notification) {}

    @Override
    public void respond(ObjectNode response) {}

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  private final Decisions decisions = new Decisions();
  private final Upstream upstream = new Upstream();

  private Router router(int pageSize) {
    ServerConfig s = new ServerConfig("s", ServerConfig.Transport.STDIO, true, Duration.ofSeconds(5), Duration.ofSeconds(5), null, null);
    GatewayConfig config = new GatewayConfig(null, null, null, new AuditConfig("-", 16), "_", pageSize, List.of(s));
    return new Router(config, decisions);
  }

  private FrontSession session() {
    FrontSession session = new FrontSession("session-0123456789", "alice", "2025-11-25", JsonRpc.NODES.objectNode(), Instant.now());
    session.addUpstream("s", upstream);
    return session;
  }

  private static ObjectNode tool(String name) {
    return JsonRpc.NODES.objectNode().put("name", name).put("description", "tool " + name);
  }

  private static Exchange request(FrontSession s, String method, ObjectNode params) {
    ObjectNode req = JsonRpc.request(JsonRpc.NODES.stringNode("r-1"), method, params);
    return new Exchange(Envelope.of(req), s, RelatedSink.NONE, System.nanoTime());
  }

  private static ObjectNode uri(String uri) {
    return JsonRpc.NODES.objectNode().put("uri", uri);
  }

  private static List<ObjectNode> messages(EventStream stream) {
    List<ObjectNode> out = new ArrayList<>();
    stream.attach(new EventStream.Subscriber() {
      @Override
      public boolean offer(EventStream.Event event) {
        out.add(event.message());
        return true;
      }

      @Override
      public void end() {}
    }, 0);
    return out;
  }

  // ---------------------------------------------------------------- withheld resource templates

  private void resources() {
    upstream.lists.put("resources/list", List.of(JsonRpc.NODES.objectNode().put("uri", "fx://s/doc").put("name", "doc")));
    upstream.lists.put("resources/templates/list",
        List.of(JsonRpc.NODES.objectNode().put("uriTemplate", "fx://s/item/{id}").put("name", "item")));
  }

  @Test
  void aUriOnlyAWithheldTemplateDescribesIsNotRoutedEvenToTheOnlyResourceServer() {
    resources();
    decisions.withhold("fx://s/item/{id}");
    Router router = router(100);
    FrontSession s = session();

    assertThat(router.serverForUri(s, "fx://s/item/42")).isNull();
    assertThat(router.heldBackTemplate(s, "fx://s/item/42")).isEqualTo(new Router.Target("s", "fx://s/item/{id}"));
    Outcome o = router.proceed(request(s, "resources/read", uri("fx://s/item/42")));
    assertThat(o).isInstanceOfSatisfying(Outcome.Respond.class,
        r -> assertThat(JsonRpc.errorCode(r.gatewayResponse())).isEqualTo(JsonRpc.RESOURCE_NOT_FOUND));
    assertThat(upstream.received).doesNotContain("resources/read");
  }

  @Test
  void listedResourcesOtherUrisAndApprovedTemplatesStillRoute() {
    resources();
    decisions.withhold("fx://s/item/{id}");
    Router router = router(100);
    FrontSession s = session();

    assertThat(router.serverForUri(s, "fx://s/doc")).isEqualTo("s"); // listed
    assertThat(router.serverForUri(s, "other://unlisted")).isEqualTo("s"); // the only server, no template says otherwise
    assertThat(router.heldBackTemplate(s, "fx://s/doc")).isNull();
    assertThat(router.proceed(request(s, "resources/read", uri("fx://s/doc")))).isInstanceOf(Outcome.Forward.class);

    decisions.admit("fx://s/item/{id}");
    assertThat(router.serverForUri(s, "fx://s/item/42")).isEqualTo("s");
    assertThat(router.heldBackTemplate(s, "fx://s/item/42")).isNull();
    assertThat(router.proceed(request(s, "resources/read", uri("fx://s/item/42")))).isInstanceOf(Outcome.Forward.class);
  }

  // ---------------------------------------------------------------- filtered pages

  private static List<String> page(Outcome o) {
    ObjectNode result = (ObjectNode) ((Outcome.Respond) o).gatewayResponse().get("result");
    List<String> names = new ArrayList<>();
    result.path("tools").forEach(t -> names.add(t.path("name").asString()));
    return names;
  }

  private static String cursor(Outcome o) {
    JsonNode c = ((Outcome.Respond) o).gatewayResponse().path("result").get("nextCursor");
    return c == null ? null : c.asString();
  }

  private List<List<String>> allPages(Router router, FrontSession s, java.util.function.Predicate<ObjectNode> filter) {
    List<List<String>> pages = new ArrayList<>();
    String cursor = null;
    do {
      ObjectNode params = JsonRpc.NODES.objectNode();
      if (cursor != null) {
        params.put("cursor", cursor);
      }
      Exchange ex = request(s, "tools/list", params);
      ex.filterList(filter);
      Outcome o = router.proceed(ex);
      pages.add(page(o));
      cursor = cursor(o);
      assertThat(cursor == null || !page(o).isEmpty()).as("an empty page with a nextCursor").isTrue();
    } while (cursor != null && pages.size() < 100);
    return pages;
  }

  @Test
  void filteredEntriesDoNotShortenPagesAndNoPageIsEmptyWithACursor() {
    List<ObjectNode> tools = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      tools.add(tool("t" + i));
    }
    upstream.lists.put("tools/list", tools);
    Router router = router(2);
    FrontSession s = session();

    // the policy's seat: hides t0..t3; the first page still holds two entries
    List<List<String>> pages = allPages(router, s, t -> !Set.of("s_t0", "s_t1", "s_t2", "s_t3").contains(t.path("name").asString()));
    assertThat(pages).containsExactly(List.of("s_t4", "s_t5"), List.of("s_t6"));

    // everything hidden: one empty page, and no cursor to a next one
    assertThat(allPages(router, s, t -> false)).containsExactly(List.of());

    // the legitimate twin: without a filter, plain pages of two
    assertThat(allPages(router, s, t -> true)).containsExactly(List.of("s_t0", "s_t1"), List.of("s_t2", "s_t3"),
        List.of("s_t4", "s_t5"), List.of("s_t6"));
  }

  @Test
  void aLongRunOfHiddenEntriesEndsAPageEarlyOnlyOnceItHasEntries() {
    List<ObjectNode> tools = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      tools.add(tool("t" + i));
    }
    upstream.lists.put("tools/list", tools);
    Router router = router(3);
    FrontSession s = session();
    Set<String> shown = Set.of("s_t0", "s_t45", "s_t59");

    List<List<String>> pages = allPages(router, s, t -> shown.contains(t.path("name").asString()));
    // page 1 stops after 3 * SCAN_PAGES entries with t0 alone; page 2 scans on, past the bound, to t45
    assertThat(pages).containsExactly(List.of("s_t0"), List.of("s_t45", "s_t59"));
  }

  // ---------------------------------------------------------------- list_changed after decisions

  @Test
  void aDecisionThatChangesAVisibleListIsAnnouncedOnceToThatSessionOnly() {
    upstream.lists.put("tools/list", List.of(tool("a"), tool("b")));
    decisions.withhold("b");
    Router router = router(100);
    FrontSession listed = session();
    EventStream get = listed.newStream(true, 16);
    FrontSession neverListed = session();
    EventStream otherGet = neverListed.newStream(true, 16);
    assertThat(page(router.proceed(request(listed, "tools/list", JsonRpc.NODES.objectNode())))).containsExactly("s_a");
    ListChangeNotifier notifier = new ListChangeNotifier(router, () -> List.of(listed, neverListed));

    notifier.run(); // nothing decided yet
    assertThat(messages(get)).isEmpty();

    decisions.admit("b"); // an admin approved b
    notifier.run();
    assertThat(messages(get)).extracting(m -> m.path("method").asString()).containsExactly("notifications/tools/list_changed");
    assertThat(page(router.proceed(request(listed, "tools/list", JsonRpc.NODES.objectNode())))).containsExactly("s_a", "s_b");
    // a session that never listed tools has nothing to be told about
    assertThat(messages(otherGet)).isEmpty();

    // the legitimate twin: a decision about an item nobody sees changes no list and sends nothing
    decisions.withhold("zzz");
    notifier.run();
    assertThat(messages(get)).hasSize(1);
  }

  // ---------------------------------------------------------------- list_changed after a policy reload

  private static Policy policy(PolicyConfig.Rule... rules) throws PolicyCompileException {
    return Policy.compile(PolicyConfig.DEFAULT.withEnabled().withRules(new PolicyConfig.Rules(PolicyConfig.Effect.ALLOW, List.of(rules))),
        Map.of());
  }

  private FrontSession session(Principal who) {
    FrontSession session = new FrontSession("session-" + who.subject() + "-0123456789", who.owner(), "2025-11-25",
        JsonRpc.NODES.objectNode(), Instant.now());
    session.addUpstream("s", upstream);
    session.updatePrincipal(who);
    return session;
  }

  @Test
  void aPolicyReloadIsAnnouncedOnlyToSessionsWhoseVisibleListItChanges() throws Exception {
    Principal bob = new Principal("bob", "https://idp", Set.of(), Map.of("groups", List.of("contractors")), null, null);
    Principal ann = new Principal("ann", "https://idp", Set.of(), Map.of("groups", List.of("eng")), null, null);
    upstream.lists.put("tools/list", List.of(tool("a"), tool("b")));
    upstream.lists.put("resources/list", List.of(JsonRpc.NODES.objectNode().put("uri", "fx://s/doc").put("name", "doc")));
    Router router = router(100);
    LivePolicy live = new LivePolicy(policy());
    PolicyGuard guard = new PolicyGuard(live, new PolicyTargets(router), AuditLog.NONE, Clock.systemUTC());
    FrontSession bobs = session(bob);
    FrontSession anns = session(ann);
    FrontSession neverListed = session(bob);
    EventStream bobGet = bobs.newStream(true, 16);
    EventStream annGet = anns.newStream(true, 16);
    EventStream otherGet = neverListed.newStream(true, 16);
    for (FrontSession s : List.of(bobs, anns)) {
      router.proceed(request(s, "tools/list", JsonRpc.NODES.objectNode()));
      router.proceed(request(s, "resources/list", JsonRpc.NODES.objectNode()));
    }
    ListChangeNotifier notifier = new ListChangeNotifier(router, () -> List.of(bobs, anns, neverListed), guard);

    notifier.run(); // nothing reloaded yet
    assertThat(messages(bobGet)).isEmpty();

    // the reload hides b from contractors: bob's tools list changed, his resources did not
    PolicyConfig.Rule noB = new PolicyConfig.Rule("no-b", PolicyConfig.Effect.DENY,
        "'contractors' in principal.groups && tool.name == 'b'", "not for contractors");
    live.swap(policy(noB));
    notifier.run();
    assertThat(messages(bobGet)).extracting(m -> m.path("method").asString()).containsExactly("notifications/tools/list_changed");
    // the legitimate twins: ann sees the same lists as before, and a session that never listed has nothing to correct
    assertThat(messages(annGet)).isEmpty();
    assertThat(messages(otherGet)).isEmpty();

    // a reload that changes no decision (same rules, new object) sends nothing
    live.swap(policy(noB));
    notifier.run();
    assertThat(messages(bobGet)).hasSize(1);
    assertThat(messages(annGet)).isEmpty();
  }
}
