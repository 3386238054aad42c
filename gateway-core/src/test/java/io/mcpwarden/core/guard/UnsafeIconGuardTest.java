package io.mcpwarden.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.message.JsonCodec;
import io.mcpwarden.core.message.JsonRpc;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

class UnsafeIconGuardTest {
  private final JsonCodec codec = new JsonCodec(64, 100_000);
  private final UnsafeIconGuard guard = new UnsafeIconGuard();

  private ObjectNode listResult(String key) {
    return (ObjectNode) codec.parse("""
        {"%s":[
          {"name":"a","icons":[
            {"src":"https://cdn.example.com/a.png","mimeType":"image/png"},
            {"src":"javascript:alert(1)"},
            {"src":"data:image/png;base64,AAAA"},
            {"src":"file:///etc/passwd"},
            {"src":"http://plain.example.com/x.png"},
            {"src":"data:text/html,<script>alert(1)</script>"},
            {"mimeType":"image/png"}
          ]},
          {"name":"b"}
        ],"nextCursor":"c"}
        """.formatted(key));
  }

  private ObjectNode run(String method, ObjectNode result) {
    ObjectNode response = JsonRpc.result(JsonRpc.NODES.numberNode(1), result);
    Outcome o = new GuardChain(List.of(guard), ex -> new Outcome.Forward(response)).run(GuardChainTest.exchange(method));
    return o.response(JsonRpc.NODES.numberNode(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"tools/list", "prompts/list", "resources/list", "resources/templates/list"})
  void unsafeIconsAreStrippedFromEveryList(String method) {
    String key = switch (method) {
      case "tools/list" -> "tools";
      case "prompts/list" -> "prompts";
      case "resources/list" -> "resources";
      default -> "resourceTemplates";
    };
    ObjectNode resp = run(method, listResult(key));
    var icons = resp.get("result").get(key).get(0).get("icons");
    assertThat(icons).hasSize(2);
    assertThat(icons.get(0).get("src").asString()).isEqualTo("https://cdn.example.com/a.png");
    assertThat(icons.get(0).get("mimeType").asString()).isEqualTo("image/png");
    assertThat(icons.get(1).get("src").asString()).startsWith("data:image/png");
    assertThat(resp.get("result").get(key).get(1).has("icons")).isFalse();
    assertThat(resp.get("result").get("nextCursor").asString()).isEqualTo("c");
  }

  @Test
  void otherMethodsAreNotTouched() {
    ObjectNode resp = run("tools/call", listResult("tools"));
    assertThat(resp.get("result").get("tools").get(0).get("icons")).hasSize(7);
  }

  @Test
  void denialsPassThrough() {
    Outcome o = new GuardChain(List.of(guard), ex -> new Outcome.Deny(JsonRpc.GATEWAY_DENIED, "no"))
        .run(GuardChainTest.exchange("tools/list"));
    assertThat(o).isEqualTo(new Outcome.Deny(JsonRpc.GATEWAY_DENIED, "no"));
  }

  @Test
  void errorResponsesPassThrough() {
    ObjectNode err = JsonRpc.error(JsonRpc.NODES.numberNode(1), -32000, "upstream broke");
    Outcome o = new GuardChain(List.of(guard), ex -> new Outcome.Forward(err)).run(GuardChainTest.exchange("tools/list"));
    assertThat(o.response(JsonRpc.NODES.numberNode(1))).isEqualTo(err);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://x/y.png", "HTTPS://X/Y.PNG", "  https://x/y.png", "data:image/svg+xml;base64,PHN2Zz4=", "DATA:IMAGE/PNG;base64,AA"})
  void safeUris(String uri) {
    assertThat(UnsafeIconGuard.safe(uri)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"javascript:alert(1)", " JavaScript:alert(1)", "http://x/y.png", "file:///etc/passwd", "data:text/html,x", "vbscript:x", "//evil.example/x.png", "", "ftp://x/y"})
  void unsafeUris(String uri) {
    assertThat(UnsafeIconGuard.safe(uri)).isFalse();
  }

  @Test
  void nonStringSrcIsUnsafe() {
    ObjectNode item = (ObjectNode) codec.parse("{\"icons\":[{\"src\":42},{\"src\":{\"x\":1}},{\"src\":\"https://ok/x.png\"}]}");
    UnsafeIconGuard.strip(item);
    assertThat(item.get("icons")).hasSize(1);
  }
}
