package io.mcpwarden.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.backend.RelatedSink;
import io.mcpwarden.core.message.Envelope;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.message.JsonRpcException;
import io.mcpwarden.core.session.FrontSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class GuardChainTest {
  private final List<String> trace = new ArrayList<>();
  private final AtomicBoolean terminalReached = new AtomicBoolean();

  private final Guard.Chain terminal =
      ex -> {
        terminalReached.set(true);
        trace.add("terminal");
        return new Outcome.Forward(JsonRpc.result(ex.request().id(), JsonRpc.NODES.objectNode().put("ok", true)));
      };

  static Exchange exchange(String method) {
    FrontSession session = new FrontSession("sid", "alice", "2025-11-25", null, Instant.EPOCH);
    ObjectNode req = JsonRpc.request(JsonRpc.NODES.numberNode(1), method, JsonRpc.NODES.objectNode());
    return new Exchange(Envelope.of(req), session, RelatedSink.NONE, 0);
  }

  private Guard tracing(String name) {
    return new Guard() {
      @Override
      public Outcome intercept(Exchange ex, Chain next) {
        trace.add(name + ">");
        Outcome o = next.proceed(ex);
        trace.add("<" + name);
        return o;
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  private static Guard named(String name, Guard g) {
    return new Guard() {
      @Override
      public Outcome intercept(Exchange ex, Chain next) {
        return g.intercept(ex, next);
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  @Test
  void guardsRunInOrderAroundTheTerminal() {
    GuardChain chain = new GuardChain(List.of(tracing("a"), tracing("b"), tracing("c")), terminal);
    Outcome o = chain.run(exchange("tools/call"));
    assertThat(o).isInstanceOf(Outcome.Forward.class);
    assertThat(trace).containsExactly("a>", "b>", "c>", "terminal", "<c", "<b", "<a");
  }

  @Test
  void emptyChainGoesStraightToTheTerminal() {
    assertThat(new GuardChain(List.of(), terminal).run(exchange("ping"))).isInstanceOf(Outcome.Forward.class);
    assertThat(terminalReached).isTrue();
  }

  @Test
  void aGuardCanAnswerWithoutProceeding() {
    Guard deny = (ex, next) -> new Outcome.Deny(JsonRpc.GATEWAY_DENIED, "not allowed");
    GuardChain chain = new GuardChain(List.of(tracing("a"), deny, tracing("c")), terminal);
    Outcome o = chain.run(exchange("tools/call"));
    assertThat(o).isEqualTo(new Outcome.Deny(JsonRpc.GATEWAY_DENIED, "not allowed"));
    assertThat(trace).containsExactly("a>", "<a");
    assertThat(terminalReached).isFalse();
  }

  @Test
  void aThrowingGuardDeniesFailClosed() {
    Guard broken = named("broken", (ex, next) -> {
      throw new IllegalStateException("boom with secret detail");
    });
    GuardChain chain = new GuardChain(List.of(broken), terminal);
    Outcome o = chain.run(exchange("tools/call"));
    assertThat(o).isInstanceOfSatisfying(Outcome.Deny.class, d -> {
      assertThat(d.code()).isEqualTo(JsonRpc.INTERNAL_ERROR);
      assertThat(d.reason()).contains("broken").doesNotContain("secret");
    });
    assertThat(terminalReached).isFalse();
  }

  @Test
  void aGuardThrowingAfterProceedingStillDenies() {
    // The upstream already answered, but a guard on the way back (a result scan, say) failed: the
    // answer must not leak through.
    Guard scanner = named("scanner", (ex, next) -> {
      next.proceed(ex);
      throw new IllegalStateException("scan failed");
    });
    Outcome o = new GuardChain(List.of(scanner), terminal).run(exchange("tools/call"));
    assertThat(terminalReached).isTrue();
    assertThat(o).isInstanceOf(Outcome.Deny.class);
  }

  @Test
  void aThrowingInnerGuardDeniesAndOuterGuardsSeeTheDenial() {
    Guard broken = (ex, next) -> {
      throw new RuntimeException("x");
    };
    List<Outcome> seenByOuter = new ArrayList<>();
    Guard outer = (ex, next) -> {
      Outcome o = next.proceed(ex);
      seenByOuter.add(o);
      return o;
    };
    Outcome o = new GuardChain(List.of(outer, broken), terminal).run(exchange("tools/call"));
    assertThat(o).isInstanceOf(Outcome.Deny.class);
    assertThat(seenByOuter).singleElement().isInstanceOf(Outcome.Deny.class);
  }

  @Test
  void aJsonRpcExceptionKeepsItsCode() {
    Guard limit = (ex, next) -> {
      throw new JsonRpcException(JsonRpc.LIMIT_EXCEEDED, "Rate limit exceeded");
    };
    Outcome o = new GuardChain(List.of(limit), terminal).run(exchange("tools/call"));
    assertThat(o).isEqualTo(new Outcome.Deny(JsonRpc.LIMIT_EXCEEDED, "Rate limit exceeded"));
  }

  @Test
  void aNullOutcomeDenies() {
    Guard silent = named("silent", (ex, next) -> null);
    Outcome o = new GuardChain(List.of(silent), terminal).run(exchange("tools/call"));
    assertThat(o).isInstanceOfSatisfying(Outcome.Deny.class, d -> {
      assertThat(d.code()).isEqualTo(JsonRpc.INTERNAL_ERROR);
      assertThat(d.reason()).contains("silent");
    });
  }

  @Test
  void aGuardMayReplaceTheRequestForLaterGuards() {
    Guard rewrite = (ex, next) -> next.proceed(ex.withRequest(Envelope.of(
        JsonRpc.request(ex.request().id(), "tools/list", JsonRpc.NODES.objectNode()))));
    List<String> seen = new ArrayList<>();
    Guard.Chain recordingTerminal = ex -> {
      seen.add(ex.request().method());
      return terminal.proceed(ex);
    };
    Exchange original = exchange("tools/call");
    new GuardChain(List.of(rewrite), recordingTerminal).run(original);
    assertThat(seen).containsExactly("tools/list");
    assertThat(original.request().method()).isEqualTo("tools/call");
  }

  @Test
  void denyBecomesAJsonRpcErrorWithTheRequestId() {
    ObjectNode resp = new Outcome.Deny(JsonRpc.GATEWAY_DENIED, "no").response(JsonRpc.NODES.stringNode("x"));
    assertThat(resp.get("id").asString()).isEqualTo("x");
    assertThat(JsonRpc.errorCode(resp)).isEqualTo(JsonRpc.GATEWAY_DENIED);
    assertThat(new Outcome.Cancelled("gone").response(JsonRpc.NODES.numberNode(1))).isNull();
  }

  @Test
  void theListOfGuardsIsCopied() {
    List<Guard> guards = new ArrayList<>(List.of(tracing("a")));
    GuardChain chain = new GuardChain(guards, terminal);
    guards.add((ex, next) -> new Outcome.Deny(1, "late addition"));
    assertThat(chain.run(exchange("ping"))).isInstanceOf(Outcome.Forward.class);
  }
}
