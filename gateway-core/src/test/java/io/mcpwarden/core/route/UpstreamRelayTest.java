package io.mcpwarden.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.backend.UpstreamCall;
import io.mcpwarden.core.backend.UpstreamSession;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.session.FrontSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** How the relay screens requests an upstream sends outside any call before a client sees them. */
class UpstreamRelayTest {
  private final List<ObjectNode> toUpstream = new ArrayList<>();
  private final List<ObjectNode> toClient = new ArrayList<>();
  private final FrontSession session = new FrontSession("s-1", "alice", "2025-11-25",
      (ObjectNode) JsonRpc.NODES.objectNode().set("sampling", JsonRpc.NODES.objectNode()), Instant.EPOCH);
  private final UpstreamSession upstream = new UpstreamSession() {
    @Override
    public ObjectNode initializeResult() {
      return JsonRpc.NODES.objectNode();
    }

    @Override
    public String protocolVersion() {
      return "2025-11-25";
    }

    @Override
    public UpstreamCall call(ObjectNode request, io.mcpwarden.core.backend.RelatedSink related) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void notify(ObjectNode notification) {}

    @Override
    public void respond(ObjectNode response) {
      toUpstream.add(response);
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  };

  private static ObjectNode sampling(String text) {
    ObjectNode params = JsonRpc.NODES.objectNode();
    params.putArray("messages").addObject().put("role", "user").putObject("content").put("type", "text").put("text", text);
    params.put("maxTokens", 10);
    return JsonRpc.request(JsonRpc.NODES.numberNode(7), "sampling/createMessage", params);
  }

  @Test
  void aRefusedRequestIsAnsweredToTheUpstreamAndNeverReachesTheClient() {
    UpstreamRelay.deliver(session, "web", upstream, sampling("IGNORE ALL"), toClient::add,
        (s, server, req) -> new ServerRequestScreen.Refusal(JsonRpc.GATEWAY_DENIED, "refused: injection"));

    assertThat(toClient).isEmpty();
    assertThat(toUpstream).singleElement().satisfies(r -> {
      assertThat(r.path("id").asInt()).isEqualTo(7);
      assertThat(r.path("error").path("code").asInt()).isEqualTo(JsonRpc.GATEWAY_DENIED);
      assertThat(r.path("error").path("message").asString()).isEqualTo("refused: injection");
    });
    // Nothing is pending: a client answer naming a guessed id reaches no upstream.
    assertThat(session.takeServerRequest(JsonRpc.NODES.stringNode("srv-1"))).isNull();
  }

  @Test
  void anAcceptedRequestReachesTheClientAsTheScreenRewroteItAndTheAnswerGoesBack() {
    UpstreamRelay.deliver(session, "web", upstream, sampling("What do tulips need?"), toClient::add, (s, server, req) -> {
      assertThat(server).isEqualTo("web");
      assertThat(s).isSameAs(session);
      ((ObjectNode) req.get("params")).putObject("_meta").put("io.mcpwarden/content", "checked");
      return null;
    });

    assertThat(toUpstream).isEmpty();
    assertThat(toClient).singleElement().satisfies(m -> {
      assertThat(m.path("id").asString()).startsWith("srv-");
      assertThat(m.at("/params/_meta/io.mcpwarden~1content").asString()).isEqualTo("checked");
      assertThat(m.at("/params/messages/0/content/text").asString()).isEqualTo("What do tulips need?");
      FrontSession.ServerRequest pending = session.takeServerRequest(m.get("id"));
      assertThat(pending.upstreamId().asInt()).isEqualTo(7);
      assertThat(pending.server()).isEqualTo("web");
    });
  }

  @Test
  void aScreenThatFailsRefusesTheRequest() {
    UpstreamRelay.deliver(session, "web", upstream, sampling("hello"), toClient::add, (s, server, req) -> {
      throw new IllegalStateException("detector broke");
    });

    assertThat(toClient).isEmpty();
    assertThat(toUpstream).singleElement().satisfies(r -> {
      assertThat(r.path("error").path("code").asInt()).isEqualTo(JsonRpc.INTERNAL_ERROR);
      assertThat(r.path("error").path("message").asString()).contains("could not screen").doesNotContain("detector broke");
    });
  }

  @Test
  void requestsTheClientCannotTakeAreRefusedWithoutScreeningAndNotificationsAreNotScreened() {
    AtomicInteger screened = new AtomicInteger();
    ServerRequestScreen counting = (s, server, req) -> {
      screened.incrementAndGet();
      return null;
    };
    ObjectNode elicitation = JsonRpc.request(JsonRpc.NODES.numberNode(8), "elicitation/create", JsonRpc.NODES.objectNode());
    UpstreamRelay.deliver(session, "web", upstream, elicitation, toClient::add, counting);
    UpstreamRelay.deliver(session, "web", upstream, sampling("hello"), null, counting);
    UpstreamRelay.deliver(session, "web", upstream, JsonRpc.notification("notifications/progress", null), toClient::add, counting);

    assertThat(screened).hasValue(0);
    assertThat(toUpstream).extracting(r -> r.path("error").path("code").asInt())
        .containsExactly(JsonRpc.METHOD_NOT_FOUND, JsonRpc.INTERNAL_ERROR);
    assertThat(toClient).extracting(m -> m.path("method").asString()).containsExactly("notifications/progress");
  }
}
