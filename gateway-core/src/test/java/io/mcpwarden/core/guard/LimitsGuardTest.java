package io.mcpwarden.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpwarden.core.backend.RelatedSink;
import io.mcpwarden.core.config.CallLimitsConfig.Rate;
import io.mcpwarden.core.config.CallLimitsConfig;
import io.mcpwarden.core.message.Envelope;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.session.FrontSession;
import io.mcpwarden.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class LimitsGuardTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final AtomicInteger served = new AtomicInteger();
  private final Guard.Chain terminal = ex -> {
    served.incrementAndGet();
    return new Outcome.Forward(JsonRpc.result(ex.request().id(), JsonRpc.NODES.objectNode()));
  };

  private static Exchange call(String user, String tool) {
    FrontSession session = new FrontSession("sid-" + user, user, "2025-11-25", null, Instant.EPOCH);
    ObjectNode params = JsonRpc.NODES.objectNode().put("name", tool);
    return new Exchange(Envelope.of(JsonRpc.request(JsonRpc.NODES.numberNode(1), "tools/call", params)), session, RelatedSink.NONE, 0);
  }

  private static Exchange list(String user) {
    FrontSession session = new FrontSession("sid-" + user, user, "2025-11-25", null, Instant.EPOCH);
    return new Exchange(Envelope.of(JsonRpc.request(JsonRpc.NODES.numberNode(1), "tools/list", null)), session, RelatedSink.NONE, 0);
  }

  private LimitsGuard guard(CallLimitsConfig config) {
    // Tools are named <server>_<tool>, as the router exposes them with the default separator.
    return new LimitsGuard(config, clock, ex -> {
      String name = ex.request().param("name");
      return name == null ? null : name.substring(0, name.indexOf('_'));
    });
  }

  private static CallLimitsConfig config(Rate perUser, Rate perTool, Rate perServer, int concurrentPerUser, int concurrentPerServer) {
    return new CallLimitsConfig(perUser, perTool, perServer, Map.of(), 1000, concurrentPerUser, concurrentPerServer, 1 << 20);
  }

  @Test
  void overTheUserRateTheCallIsRefusedWithRetryAfterAndTheLimitNamed() {
    LimitsGuard g = guard(config(new Rate(2, 0.5), null, null, 64, 256));
    assertThat(g.intercept(call("alice", "demo_echo"), terminal)).isInstanceOf(Outcome.Forward.class);
    assertThat(g.intercept(list("alice"), terminal)).isInstanceOf(Outcome.Forward.class);
    Outcome o = g.intercept(call("alice", "demo_echo"), terminal);

    assertThat(o).isInstanceOfSatisfying(Outcome.Limited.class, l -> {
      assertThat(l.limit()).isEqualTo("rate.per-user");
      assertThat(l.retryAfterSeconds()).isEqualTo(2);
      assertThat(l.httpStatus()).isEqualTo(429);
      assertThat(l.reason()).contains("user alice");
    });
    ObjectNode err = o.response(JsonRpc.NODES.numberNode(7));
    assertThat(err.path("id").asInt()).isEqualTo(7);
    assertThat(err.path("error").path("code").asInt()).isEqualTo(JsonRpc.LIMIT_EXCEEDED);
    assertThat(err.path("error").path("data").path("limit").asString()).isEqualTo("rate.per-user");
    assertThat(err.path("error").path("data").path("retryAfterSeconds").asInt()).isEqualTo(2);
    assertThat(served).hasValue(2);

    assertThat(g.intercept(call("bob", "demo_echo"), terminal)).isInstanceOf(Outcome.Forward.class);
    clock.advance(Duration.ofSeconds(2));
    assertThat(g.intercept(call("alice", "demo_echo"), terminal)).isInstanceOf(Outcome.Forward.class);
  }

  @Test
  void toolAndServerRatesCountOnlyRequestsThatGoThere() {
    LimitsGuard g = guard(config(null, new Rate(1, 1), new Rate(3, 1), 64, 256));
    assertThat(g.intercept(call("alice", "demo_echo"), terminal)).isInstanceOf(Outcome.Forward.class);
    assertThat(g.intercept(call("bob", "demo_echo"), terminal))
        .isInstanceOfSatisfying(Outcome.Limited.class, l -> assertThat(l.limit()).isEqualTo("rate.per-tool"));
    assertThat(g.intercept(call("bob", "demo_add"), terminal)).isInstanceOf(Outcome.Forward.class);
    assertThat(g.intercept(list("bob"), terminal)).isInstanceOf(Outcome.Forward.class);
    assertThat(g.intercept(call("bob", "demo_other"), terminal)).isInstanceOf(Outcome.Forward.class);
    assertThat(g.intercept(call("bob", "demo_more"), terminal))
        .isInstanceOfSatisfying(Outcome.Limited.class, l -> assertThat(l.limit()).isEqualTo("rate.per-server"));
    assertThat(g.intercept(call("bob", "other_echo"), terminal)).isInstanceOf(Outcome.Forward.class);
  }

  @Test
  void concurrencyCapsHoldASlotForTheWholeCall() {
    LimitsGuard g = guard(config(null, null, null, 1, 2));
    // The terminal of the first call runs more calls while the first is still in flight.
    List<Outcome> nested = new java.util.ArrayList<>();
    Guard.Chain busy = ex -> {
      nested.add(g.intercept(call("alice", "demo_echo"), terminal));
      nested.add(g.intercept(call("bob", "demo_echo"), terminal));
      nested.add(g.intercept(call("carol", "demo_echo"), terminal));
      nested.add(g.intercept(call("carol", "other_echo"), terminal));
      nested.add(g.intercept(list("alice"), terminal));
      return terminal.proceed(ex);
    };
    assertThat(g.intercept(call("alice", "demo_echo"), busy)).isInstanceOf(Outcome.Forward.class);
    assertThat(nested.get(0)).isInstanceOfSatisfying(Outcome.Limited.class, l -> {
      assertThat(l.limit()).isEqualTo("max-concurrent-per-user");
      assertThat(l.httpStatus()).isEqualTo(429);
    });
    assertThat(nested.get(1)).isInstanceOf(Outcome.Forward.class);
    // bob finished, so the server has one call (alice's) in flight: carol gets the second slot...
    assertThat(nested.get(2)).isInstanceOf(Outcome.Forward.class);
    assertThat(nested.get(3)).isInstanceOf(Outcome.Forward.class);
    assertThat(nested.get(4)).isInstanceOf(Outcome.Forward.class);
    // ...and once alice's call is done her slot is free again.
    assertThat(g.intercept(call("alice", "demo_echo"), terminal)).isInstanceOf(Outcome.Forward.class);
  }

  @Test
  void theServerCapRefusesWhenFullAndAFailedCallFreesItsSlots() {
    LimitsGuard g = guard(config(null, null, null, 10, 1));
    List<Outcome> nested = new java.util.ArrayList<>();
    Guard.Chain busy = ex -> {
      nested.add(g.intercept(call("bob", "demo_echo"), terminal));
      nested.add(g.intercept(call("bob", "other_echo"), terminal));
      throw new IllegalStateException("upstream blew up");
    };
    assertThatThrownBy(() -> g.intercept(call("alice", "demo_echo"), busy)).isInstanceOf(IllegalStateException.class);
    assertThat(nested.get(0)).isInstanceOfSatisfying(Outcome.Limited.class,
        l -> assertThat(l.limit()).isEqualTo("max-concurrent-per-server"));
    assertThat(nested.get(1)).isInstanceOf(Outcome.Forward.class);
    assertThat(g.intercept(call("bob", "demo_echo"), terminal)).isInstanceOf(Outcome.Forward.class);
  }

  @Test
  void inAChainARefusalIsALimitedOutcomeNotADeny() {
    GuardChain chain = new GuardChain(List.of(guard(config(new Rate(1, 1), null, null, 64, 256))), terminal);
    assertThat(chain.run(call("alice", "demo_echo"))).isInstanceOf(Outcome.Forward.class);
    assertThat(chain.run(call("alice", "demo_echo"))).isInstanceOf(Outcome.Limited.class);
  }
}
