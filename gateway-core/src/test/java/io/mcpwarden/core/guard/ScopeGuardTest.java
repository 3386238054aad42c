package io.mcpwarden.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.auth.AuthContext;
import io.mcpwarden.core.auth.AuthException;
import io.mcpwarden.core.auth.Principal;
import io.mcpwarden.core.auth.ReplayCache;
import io.mcpwarden.core.auth.ScopePolicy;
import io.mcpwarden.core.config.AuthConfig;
import io.mcpwarden.core.message.Envelope;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.session.FrontSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ScopeGuardTest {
  private final ScopePolicy policy = new ScopePolicy(List.of("mcp:tools"), Map.of("demo",
      new AuthConfig.ServerRule(List.of("demo:use"), Map.of(
          "add", new AuthConfig.ToolRule(List.of("demo:write"), false),
          "wire", new AuthConfig.ToolRule(List.of(), true)))));
  private final ReplayCache replay = new ReplayCache(100, Duration.ZERO, Clock.systemUTC());
  private final AtomicInteger forwarded = new AtomicInteger();
  private final ScopeGuard guard = new ScopeGuard(policy, ex -> new ScopeGuard.Target("demo", ex.request().param("name")), replay);

  private Outcome call(String tool, Set<String> scopes, String jti, AuthContext[] ctxOut) {
    ObjectNode params = JsonRpc.NODES.objectNode().put("name", tool);
    Envelope env = Envelope.of(JsonRpc.request(JsonRpc.NODES.numberNode(1), "tools/call", params));
    Principal p = new Principal("alice", "https://as", scopes, Map.of(), Instant.now().plusSeconds(60), jti);
    AuthContext ctx = new AuthContext(p);
    ctxOut[0] = ctx;
    FrontSession s = new FrontSession("sid", p.owner(), "2025-11-25", null, Instant.now());
    return guard.intercept(new Exchange(env, s, m -> {}, 0, ctx), ex -> {
      forwarded.incrementAndGet();
      return new Outcome.Respond(JsonRpc.result(ex.request().id(), JsonRpc.NODES.objectNode()));
    });
  }

  @Test
  void toolNeedsGlobalServerAndToolScopes() {
    AuthContext[] ctx = new AuthContext[1];
    Outcome denied = call("add", Set.of("mcp:tools", "demo:use"), "j", ctx);
    assertThat(denied).isInstanceOf(Outcome.Deny.class);
    assertThat(ctx[0].refusal().error()).isEqualTo(AuthException.Error.INSUFFICIENT_SCOPE);
    assertThat(ctx[0].refusal().requiredScopes()).containsExactly("mcp:tools", "demo:use", "demo:write");
    assertThat(forwarded).hasValue(0);
    // Twin: with the tool's scope the call goes through.
    assertThat(call("add", Set.of("mcp:tools", "demo:use", "demo:write"), "j", ctx)).isInstanceOf(Outcome.Respond.class);
    assertThat(ctx[0].refusal()).isNull();
    // Other tools of the server need only the server's scopes.
    assertThat(call("echo", Set.of("mcp:tools", "demo:use"), "j", ctx)).isInstanceOf(Outcome.Respond.class);
    assertThat(forwarded).hasValue(2);
  }

  @Test
  void highRiskToolTakesEachTokenOnce() {
    AuthContext[] ctx = new AuthContext[1];
    Set<String> scopes = Set.of("mcp:tools", "demo:use");
    assertThat(call("wire", scopes, "t1", ctx)).isInstanceOf(Outcome.Respond.class);
    assertThat(call("wire", scopes, "t1", ctx)).isInstanceOf(Outcome.Deny.class);
    assertThat(ctx[0].refusal().error()).isEqualTo(AuthException.Error.INVALID_TOKEN);
    assertThat(call("wire", scopes, "t2", ctx)).isInstanceOf(Outcome.Respond.class);
    assertThat(call("wire", scopes, null, ctx)).isInstanceOf(Outcome.Deny.class);
    // Ordinary tools do not consume the token.
    assertThat(call("echo", scopes, "t1", ctx)).isInstanceOf(Outcome.Respond.class);
  }

  @Test
  void withoutAuthenticationTheGuardStandsAside() {
    ObjectNode params = JsonRpc.NODES.objectNode().put("name", "add");
    Envelope env = Envelope.of(JsonRpc.request(JsonRpc.NODES.numberNode(1), "tools/call", params));
    FrontSession s = new FrontSession("sid", "anonymous", "2025-11-25", null, Instant.now());
    Outcome o = guard.intercept(new Exchange(env, s, m -> {}, 0), ex -> new Outcome.Respond(JsonRpc.result(ex.request().id(), JsonRpc.NODES.objectNode())));
    assertThat(o).isInstanceOf(Outcome.Respond.class);
  }
}
