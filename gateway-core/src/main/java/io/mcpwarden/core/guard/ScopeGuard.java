package io.mcpwarden.core.guard;

import io.mcpwarden.core.auth.AuthContext;
import io.mcpwarden.core.auth.AuthException;
import io.mcpwarden.core.auth.Principal;
import io.mcpwarden.core.auth.ReplayCache;
import io.mcpwarden.core.auth.ScopePolicy;
import io.mcpwarden.core.message.JsonRpc;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks the scopes an operation needs for the server and tool it goes to, and refuses a reused
 * token on high-risk tools.
 *
 * <p>Global scopes are checked at the edge before anything else; this guard adds what only routing
 * knows. A refusal is recorded in the request's {@link AuthContext}, so the edge answers with a
 * 403 {@code insufficient_scope} (or 401 {@code invalid_token}) challenge naming every scope the
 * operation needs, while the audit records a denial.
 */
public final class ScopeGuard implements Guard {
  /** Where a request goes, as far as scopes are concerned. */
  public record Target(String server, String tool) {}

  private final ScopePolicy policy;
  private final Function<Exchange, Target> resolver;
  private final ReplayCache replay;

  /**
   * @param resolver finds the server and tool of a request (null when it names none)
   * @param replay remembers token ids used on high-risk tools
   */
  public ScopeGuard(ScopePolicy policy, Function<Exchange, Target> resolver, ReplayCache replay) {
    this.policy = policy;
    this.resolver = resolver;
    this.replay = replay;
  }

  @Override
  public Outcome intercept(Exchange exchange, Chain next) {
    AuthContext auth = exchange.auth();
    if (auth == null || !policy.hasServerRules()) {
      return next.proceed(exchange);
    }
    Target target = resolver.apply(exchange);
    if (target == null) {
      return next.proceed(exchange);
    }
    Principal p = auth.principal();
    Set<String> required = policy.required(target.server(), target.tool());
    if (!p.hasScopes(required)) {
      String what = target.tool() != null ? "tool " + target.tool() + " of server " + target.server() : "server " + target.server();
      auth.refuse(AuthException.insufficientScope("this operation needs scope " + String.join(" ", required), required));
      return new Outcome.Deny(JsonRpc.GATEWAY_DENIED, "Insufficient scope for " + what + ": needs " + String.join(" ", required));
    }
    if (policy.highRisk(target.server(), target.tool())) {
      ReplayCache.Verdict verdict = replay.use(p);
      if (verdict == ReplayCache.Verdict.FULL) {
        // Remembering no more ids must not mean forgetting old ones: refuse the call, not the token.
        return new Outcome.Deny(JsonRpc.LIMIT_EXCEEDED, "Too many high-risk calls in progress; retry later");
      }
      if (verdict != ReplayCache.Verdict.FIRST_USE) {
        String why = verdict == ReplayCache.Verdict.REPLAY
            ? "token already used for a high-risk tool; get a new token"
            : "a high-risk tool needs a token with jti and exp";
        auth.refuse(AuthException.invalidToken(why));
        return new Outcome.Deny(JsonRpc.GATEWAY_DENIED, "High-risk tool " + target.tool() + ": " + why);
      }
    }
    return next.proceed(exchange);
  }
}
