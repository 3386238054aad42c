package io.mcpwarden.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class JsonCodecTest {
  private final JsonCodec codec = new JsonCodec(8, 1000);

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  private void assertCode(String json, int code) {
    assertThatThrownBy(() -> codec.parse(json))
        .isInstanceOfSatisfying(JsonRpcException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void parsesAnObject() {
    JsonNode n = codec.parse("{\"a\":[1,2,{\"b\":null}]}");
    assertThat(n.get("a").size()).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"a\":}", "not json", "{\"a\":1,}", "'single'", "{a:1}", "\u0000"})
  void malformedJsonIsAParseError(String json) {
    assertCode(json, JsonRpc.PARSE_ERROR);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\n"})
  void emptyBodyIsAParseError(String json) {
    assertCode(json, JsonRpc.PARSE_ERROR);
  }

  @Test
  void trailingContentIsAParseError() {
    // Two messages in one body must not be read as the first one alone.
    assertCode("{\"jsonrpc\":\"2.0\",\"method\":\"a\"} {\"jsonrpc\":\"2.0\",\"method\":\"b\"}", JsonRpc.PARSE_ERROR);
  }

  @Test
  void invalidUtf8IsAParseError() {
    byte[] bytes = {'"', (byte) 0xC3, (byte) 0x28, '"'};
    assertThatThrownBy(() -> codec.parse(bytes))
        .isInstanceOfSatisfying(JsonRpcException.class, e -> assertThat(e.code()).isEqualTo(JsonRpc.PARSE_ERROR));
  }

  @Test
  void nestingAtTheLimitIsAccepted() {
    assertThat(codec.parse(nested(8)).isArray()).isTrue();
  }

  @Test
  void nestingBeyondTheLimitIsAnInvalidRequest() {
    assertThatThrownBy(() -> codec.parse(nested(9)))
        .isInstanceOfSatisfying(JsonRpcException.class, e -> assertThat(e.code()).isEqualTo(JsonRpc.INVALID_REQUEST))
        .hasMessageContaining("JSON limit");
  }

  @Test
  void deepObjectNestingIsAnInvalidRequest() {
    String deep = "{\"a\":".repeat(50) + "1" + "}".repeat(50);
    assertCode(deep, JsonRpc.INVALID_REQUEST);
  }

  @Test
  void hugeNestingDoesNotOverflowTheStack() {
    assertCode(nested(100_000), JsonRpc.INVALID_REQUEST);
  }

  @Test
  void overlongStringIsAnInvalidRequest() {
    assertCode("{\"a\":\"" + "x".repeat(5000) + "\"}", JsonRpc.INVALID_REQUEST);
  }

  @Test
  void errorMessageIsOneLine() {
    assertThatThrownBy(() -> codec.parse("{\n\"a\": nope\n}"))
        .isInstanceOfSatisfying(JsonRpcException.class, e -> assertThat(e.getMessage()).doesNotContain("\n").startsWith("Parse error"));
  }

  @Test
  void writeRoundTrips() {
    String json = "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"result\":{\"n\":1.5,\"s\":\"ü\"}}";
    JsonNode n = codec.parse(json);
    assertThat(codec.writeString(n)).isEqualTo(json);
    assertThat(new String(codec.write(n), StandardCharsets.UTF_8)).isEqualTo(json);
  }
}
