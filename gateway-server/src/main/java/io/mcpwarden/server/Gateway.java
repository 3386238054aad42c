package io.mcpwarden.server;

import io.mcpwarden.core.audit.AuditLog;
import io.mcpwarden.core.audit.JsonLinesAuditLog;
import io.mcpwarden.core.auth.DevIssuer;
import io.mcpwarden.core.auth.DocumentFetcher;
import io.mcpwarden.core.auth.ResourceServer;
import io.mcpwarden.core.backend.Backend;
import io.mcpwarden.core.backend.StdioBackend;
import io.mcpwarden.core.backend.StreamableHttpBackend;
import io.mcpwarden.core.backend.credential.UpstreamCredentials;
import io.mcpwarden.core.config.AuthConfig;
import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.content.ArgumentGuard;
import io.mcpwarden.core.content.ResultGuard;
import io.mcpwarden.core.content.TextScreen;
import io.mcpwarden.core.detect.injection.IndirectInjectionDetector;
import io.mcpwarden.core.detect.pii.PiiScanner;
import io.mcpwarden.core.detect.secret.SecretScanner;
import io.mcpwarden.core.detect.ToolPoisoningDetector;
import io.mcpwarden.core.detect.poison.PoisoningDetectors;
import io.mcpwarden.core.dispatch.Dispatcher;
import io.mcpwarden.core.guard.Guard;
import io.mcpwarden.core.guard.GuardChain;
import io.mcpwarden.core.guard.IntegrityGuard;
import io.mcpwarden.core.guard.LimitsGuard;
import io.mcpwarden.core.guard.PolicyGuard;
import io.mcpwarden.core.guard.ResultSizeGuard;
import io.mcpwarden.core.guard.ScopeGuard;
import io.mcpwarden.core.guard.UnsafeIconGuard;
import io.mcpwarden.core.integrity.ItemKind;
import io.mcpwarden.core.integrity.PinKey;
import io.mcpwarden.core.integrity.SqlToolPinStore;
import io.mcpwarden.core.integrity.ToolIntegrity;
import io.mcpwarden.core.integrity.ToolPinStore;
import io.mcpwarden.core.message.JsonCodec;
import io.mcpwarden.core.policy.LivePolicy;
import io.mcpwarden.core.route.PolicyTargets;
import io.mcpwarden.core.route.ListChangeNotifier;
import io.mcpwarden.core.route.Router;
import io.mcpwarden.core.secret.ConfiguredSecrets;
import io.mcpwarden.core.secret.SecretResolver;
import io.mcpwarden.core.session.SessionStore;
import io.mcpwarden.server.edge.EdgeErrorHandler;
import io.mcpwarden.server.edge.McpEndpoint;
import io.mcpwarden.server.edge.SessionAdminHandler;
import io.mcpwarden.server.edge.ToolAdminHandler;
import io.mcpwarden.server.edge.WellKnownHandler;
import io.mcpwarden.server.tls.EdgeListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.DefaultHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.VirtualThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the one place where the object graph is built from a configuration.
 *
 * <p>Nothing is global; two gateways in one JVM (as tests do) share nothing.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  /** Jetty's system property for the number of object references in a CPU cache line. */
  static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

  static {
    // Jetty pads its queues to the cache line and, unless told how many references fit in one,
    // asks the JVM through the platform MBean server, whose start-up (all of JMX) was about a
    // tenth of the gateway's. With compressed references (any heap under 32 GB) 64-byte lines
    // hold 16; the figure only sizes padding, and a value set by the user is kept.
    if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
      boolean compressed = Runtime.getRuntime().maxMemory() < (31L << 30);
      System.setProperty(REFERENCES_PER_CACHE_LINE, compressed ? "16" : "8");
    }
  }

  private final GatewayConfig config;
  private final Server server;
  private final List<Backend> backends;
  private final SessionStore sessions;
  private final AuditLog audit;
  private final McpEndpoint endpoint;
  private final ScheduledExecutorService sweeper;
  private final ServerConnector connector;
  private final ResourceServer resource;
  private final LivePolicy policy;
  private final PolicyReloader policyReloader;
  private final ToolPinStore pins;
  private final ListChangeNotifier listChanges;

  private Gateway(GatewayConfig config, Clock clock) {
    this.config = config;
    EdgeListener.checkTransport(config.listen()); // no plain HTTP off loopback unless allowed: refused before anything opens
    // Read before anything is opened, so a missing secret fails the start without leaking.
    String adminToken = config.sessions().adminTokenRef() == null ? null
        : SessionAdminHandler.checkToken(ResourceServer.resolveSecret(config.sessions().adminTokenRef(), System.getenv()));
    // Only the secrets the configuration refers to, checked all at once before anything starts.
    SecretResolver secrets = ConfiguredSecrets.load(config, System.getenv());
    JsonCodec codec = new JsonCodec(config.limits().maxJsonDepth(), (int) Math.min(Integer.MAX_VALUE, config.limits().maxBodyBytes()));
    this.audit = openAudit(config);
    this.backends = new ArrayList<>();
    for (ServerConfig sc : config.servers()) {
      backends.add(switch (sc.transport()) {
        case STDIO -> new StdioBackend(sc, codec, secrets);
        case HTTP -> new StreamableHttpBackend(sc, codec, UpstreamCredentials.create(sc.name(), sc.http().auth(), secrets, clock));
      });
    }
    this.sessions = new SessionStore(config.sessions(), config.limits().maxSessions(), clock);
    // Tool integrity: pinned definitions in the store; the router lists and routes only approved ones.
    this.pins = SqlToolPinStore.sqlite(config.integrity().store());
    // New and changed tool definitions are judged by the poisoning detector (rules + classifier);
    // a flagged one is quarantined with the detector's reasons.
    ToolPoisoningDetector poisoning = PoisoningDetectors.standard(config.integrity().detectorThreshold());
    ToolIntegrity integrity = new ToolIntegrity(config, pins, poisoning, audit, clock);
    Router router = new Router(config, integrity);
    this.policy = new LivePolicy(PolicyReloader.initial(config));
    this.policyReloader = new PolicyReloader(config, policy, audit, clock);

    QueuedThreadPool pool = new QueuedThreadPool(64, 4);
    pool.setName("edge");
    // Requests are handled on virtual threads that Jetty starts itself, straight from the selector:
    // the endpoint blocks freely there, without a platform thread handing each request over.
    pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("edge-request"));
    this.server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(config.limits().maxHeaderBytes());
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    this.connector = EdgeListener.connector(server, http, config.listen()); // HTTPS, or plain HTTP where allowed
    connector.setHost(config.listen().host());
    connector.setPort(config.listen().port());
    connector.setIdleTimeout(120_000);
    server.addConnector(connector);
    // Authentication needs the canonical resource URI, hence the port: opened here when auth is on.
    this.resource = config.auth() == null ? null : openResourceServer(config, connector, clock, audit);

    // Guard order (fixed here, and only here):
    //  1. UnsafeIconGuard wraps everything below it, so it cleans whatever list the chain returns.
    //  2. ScopeGuard (auth on): server and tool scopes, high-risk replay; an authorization refusal
    //     is the cheapest and must come before any other work on the request.
    //  3. LimitsGuard: rate limits (per user, tool, server) and tools/call concurrency caps. Cheap
    //     counters, so over-limit traffic is refused before any policy or content work; it holds
    //     the concurrency slots for the whole call below it.
    //  3b. PolicyGuard: the access policy (CEL). After the limits, so a flood of requests costs
    //     counters rather than rule evaluations; before tool integrity and content scanning, so a
    //     call the policy forbids never reaches them. It filters the lists that come back through
    //     it, and guards above it (icons) see only what the caller may use.
    //  4. IntegrityGuard: refuses calls to tools and prompts that are not approved (pending,
    //     quarantined, rejected) with an error saying why and how to approve. After the limits and
    //     the policy, so a flood of calls to a quarantined tool is still rate limited and a caller
    //     the policy refuses learns nothing about the tool's state; before any content work,
    //     since a call that must not happen needs no scanning. The catalog already hides these
    //     items (ToolIntegrity is the router's filter); this guard makes the refusal explicit.
    //  5. ResultSizeGuard, last, wraps the router directly: an oversize upstream response is
    //     withheld before any guard above spends time scanning it.
    // The content guards (argument and result scanning) sit between 4 and 5: cheap refusals
    // first, content work last.
    List<Guard> guards = new ArrayList<>(List.of(new UnsafeIconGuard()));
    if (resource != null) {
      guards.add(new ScopeGuard(resource.scopes(), ex -> {
        Router.Target t = router.target(ex);
        return t == null ? null : new ScopeGuard.Target(t.server(), t.tool());
      }, resource.replayCache()));
    }
    guards.add(new LimitsGuard(config.limits().calls(), clock, ex -> {
      Router.Target t = router.target(ex);
      return t == null ? null : t.server();
    }));
    PolicyGuard policyGuard = new PolicyGuard(policy, new PolicyTargets(router), audit, clock);
    guards.add(policyGuard);
    guards.add(new IntegrityGuard(integrity, ex -> router.target(ex) != null, ex -> {
      Router.Target t = router.heldBackTemplate(ex.session(), ex.request().param("uri"));
      return t == null ? null : new PinKey(t.server(), ItemKind.RESOURCE_TEMPLATE, t.tool());
    }));
    // Content guards (docs/content-guards.md), after the cheap refusals and before ResultSizeGuard:
    // ArgumentGuard refuses a bad call before it costs an upstream anything; ResultGuard wraps
    // ResultSizeGuard, so an oversize result is withheld before it is scanned.
    // One instance each for the whole gateway: the detectors are immutable and thread-safe.
    TextScreen screen = new TextScreen(new IndirectInjectionDetector(), SecretScanner.defaults(), PiiScanner.defaults());
    guards.add(new ArgumentGuard(config.content(), config.servers(), ex -> {
      Router.Target t = router.target(ex);
      return t == null || t.tool() == null ? null : new ArgumentGuard.Tool(t.server(), t.tool(), router.toolDefinition(ex));
    }, screen, audit, clock));
    ResultGuard results = new ResultGuard(config.content(), config.servers(), screen, audit, clock);
    guards.add(results);
    guards.add(new ResultSizeGuard(config.limits().calls().maxResultBytes()));
    GuardChain chain = new GuardChain(guards, router);
    // Requests upstreams send outside any call (standalone stream) bypass the chain: the content
    // guard screens them in the relay instead, with the same settings.
    Dispatcher dispatcher = new Dispatcher(config, backends, sessions, chain, router, audit, results::screenServerRequest);
    this.endpoint = new McpEndpoint(config, dispatcher, sessions, codec, clock, resource);
    // Approvals and rejections (admin API, or the tools CLI on the store) and policy reloads reach
    // open sessions whose visible lists they change as list_changed.
    this.listChanges = new ListChangeNotifier(router, sessions::all, policyGuard);
    List<Handler> handlers = new ArrayList<>(List.of(endpoint));
    if (resource != null) {
      handlers.add(new WellKnownHandler(config.listen(), resource));
    }
    if (adminToken != null) {
      handlers.add(new SessionAdminHandler(config.listen(), sessions, audit, clock, adminToken));
      handlers.add(new ToolAdminHandler(config.listen(), integrity, audit, clock, adminToken));
    }
    handlers.add(new DefaultHandler(false, false));
    server.setHandler(new Handler.Sequence(handlers));
    server.setErrorHandler(new EdgeErrorHandler(audit, clock));
    this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("session-sweeper").factory());
  }

  /**
   * The gateway as OAuth protected resource. Without a configured resource URI, it is the
   * endpoint's own loopback URL, known once the connector is bound (port 0 picks one).
   */
  private static ResourceServer openResourceServer(GatewayConfig config, ServerConnector connector, Clock clock, AuditLog audit) {
    AuthConfig auth = config.auth();
    try {
      connector.open();
      String host = config.listen().host().contains(":") ? "[" + config.listen().host() + "]" : config.listen().host();
      String origin = config.listen().scheme() + "://" + host + ":" + connector.getLocalPort();
      if (auth.resource() == null) {
        auth = auth.withResource(URI.create(origin + config.listen().path()));
      }
      DevIssuer dev = null;
      if (auth.devIssuerEnabled()) {
        if (!InetAddress.getByName(config.listen().host()).isLoopbackAddress() || !isLoopbackUri(auth.resource())) {
          throw new IllegalStateException("the development issuer runs only on loopback addresses (listen.host "
              + config.listen().host() + ", resource " + auth.resource() + ")");
        }
        dev = DevIssuer.open(auth.devIssuer().keyFile(), origin, clock);
        LOG.warn("DEVELOPMENT ISSUER ENABLED: {} signs any token `mcp-warden dev-token` asks for, with key {}. "
            + "For local trials only; never use it in production.", dev.issuer(), auth.devIssuer().keyFile());
      }
      ResourceServer rs = ResourceServer.create(auth, dev, DocumentFetcher.http(), System.getenv(), clock);
      LOG.info("authentication on: resource {}, trusted issuers {}", auth.resource(), rs.metadata().authorizationServers());
      return rs;
    } catch (IOException | RuntimeException e) {
      try {
        connector.close();
      } catch (RuntimeException ignored) {
        // best effort: the start fails anyway
      }
      audit.close();
      throw new IllegalStateException("gateway failed to start: " + e.getMessage(), e);
    }
  }

  private static boolean isLoopbackUri(URI uri) {
    try {
      return InetAddress.getByName(uri.getHost()).isLoopbackAddress() || "localhost".equalsIgnoreCase(uri.getHost());
    } catch (IOException e) {
      return false;
    }
  }

  private static AuditLog openAudit(GatewayConfig config) {
    String path = config.audit().path();
    if (path == null || path.isBlank()) {
      return AuditLog.NONE;
    }
    if (path.equals("-")) {
      return JsonLinesAuditLog.toStream(System.err, config.audit().queueCapacity());
    }
    try {
      return JsonLinesAuditLog.toFile(Path.of(path), config.audit().queueCapacity());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open audit log " + path, e);
    }
  }

  /** Builds and starts a gateway; it listens when this returns. */
  public static Gateway start(GatewayConfig config) {
    return start(config, Clock.systemUTC());
  }

  public static Gateway start(GatewayConfig config, Clock clock) {
    Gateway g = new Gateway(config, clock);
    try {
      for (Backend b : g.backends) {
        b.start();
      }
      g.server.start();
    } catch (Exception e) {
      g.close();
      throw new IllegalStateException("gateway failed to start: " + e.getMessage(), e);
    }
    g.sweeper.scheduleWithFixedDelay(g::sweep, 10, 10, TimeUnit.SECONDS);
    g.policyReloader.schedule(g.sweeper);
    long every = ToolIntegrity.REFRESH.toMillis();
    g.sweeper.scheduleWithFixedDelay(g.listChanges, every, every, TimeUnit.MILLISECONDS);
    LOG.info("MCP Warden listening on {}", g.url());
    return g;
  }

  private void sweep() {
    try {
      int n = sessions.sweep();
      if (n > 0) {
        LOG.info("ended {} expired sessions", n);
      }
    } catch (RuntimeException e) {
      LOG.warn("session sweep failed", e);
    }
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** The MCP endpoint URL clients use. */
  public URI url() {
    String host = config.listen().host();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create(config.listen().scheme() + "://" + host + ":" + port() + config.listen().path());
  }

  public GatewayConfig config() {
    return config;
  }

  public List<Backend> backends() {
    return List.copyOf(backends);
  }

  public SessionStore sessions() {
    return sessions;
  }

  /**
   * Re-reads {@code policy.file} and puts its rules in force atomically; on any error the policy
   * in force stays. Also runs by itself when the file changes (see {@code policy.reload-interval}).
   *
   * @return the new policy version
   * @throws IllegalStateException when no policy file is configured or the file is invalid
   */
  public long reloadPolicy() {
    return policyReloader.reload();
  }

  /** The policy in force (swapped as a whole on reload). */
  public LivePolicy policy() {
    return policy;
  }

  /** The gateway as OAuth protected resource, or null when authentication is off. */
  public ResourceServer resource() {
    return resource;
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("edge stop failed: {}", e.getMessage());
    }
    endpoint.shutdown();
    sessions.closeAll();
    for (Backend b : backends) {
      try {
        b.close();
      } catch (RuntimeException e) {
        LOG.warn("server {}: close failed: {}", b.name(), e.getMessage());
      }
    }
    pins.close();
    audit.close();
  }
}
