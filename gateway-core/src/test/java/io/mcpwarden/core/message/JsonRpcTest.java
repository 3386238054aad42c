package io.mcpwarden.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class JsonRpcTest {

  @Test
  void errorWithNullIdWritesJsonNull() {
    ObjectNode e = JsonRpc.error(null, JsonRpc.PARSE_ERROR, "bad");
    assertThat(e.get("id").isNull()).isTrue();
    assertThat(e.get("jsonrpc").asString()).isEqualTo("2.0");
    assertThat(JsonRpc.errorCode(e)).isEqualTo(-32700);
    assertThat(e.get("error").has("data")).isFalse();
  }

  @Test
  void resultHasCodeZero() {
    ObjectNode r = JsonRpc.result(JsonRpc.NODES.numberNode(1), JsonRpc.NODES.objectNode());
    assertThat(JsonRpc.errorCode(r)).isZero();
  }

  @Test
  void requestAndNotificationAreValidEnvelopes() {
    ObjectNode params = JsonRpc.NODES.objectNode().put("k", "v");
    Envelope req = Envelope.of(JsonRpc.request(JsonRpc.NODES.stringNode("a"), "m", params));
    Envelope note = Envelope.of(JsonRpc.notification("n", null));
    assertThat(req.kind()).isEqualTo(Envelope.Kind.REQUEST);
    assertThat(req.param("k")).isEqualTo("v");
    assertThat(note.kind()).isEqualTo(Envelope.Kind.NOTIFICATION);
    assertThat(note.raw().has("params")).isFalse();
  }
}
