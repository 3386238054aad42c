package io.mcpwarden.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class EnvelopeTest {
  private final JsonCodec codec = new JsonCodec(64, 1_000_000);

  private Envelope of(String json) {
    return Envelope.of(codec.parse(json));
  }

  private static void assertInvalid(ThrowingRunnable r, String messagePart) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(JsonRpcException.class, e -> assertThat(e.code()).isEqualTo(JsonRpc.INVALID_REQUEST))
        .hasMessageContaining(messagePart);
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run();
  }

  @Test
  void requestHasIdMethodAndParams() {
    Envelope e = of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}");
    assertThat(e.kind()).isEqualTo(Envelope.Kind.REQUEST);
    assertThat(e.isRequest()).isTrue();
    assertThat(e.id().asLong()).isEqualTo(1);
    assertThat(e.method()).isEqualTo("tools/call");
    assertThat(e.param("name")).isEqualTo("echo");
    assertThat(e.param("missing")).isNull();
  }

  @Test
  void requestWithoutParamsHasNullParams() {
    Envelope e = of("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"ping\"}");
    assertThat(e.kind()).isEqualTo(Envelope.Kind.REQUEST);
    assertThat(e.params()).isNull();
    assertThat(e.param("x")).isNull();
  }

  @Test
  void notificationHasNoId() {
    Envelope e = of("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    assertThat(e.kind()).isEqualTo(Envelope.Kind.NOTIFICATION);
    assertThat(e.isRequest()).isFalse();
    assertThat(e.id()).isNull();
    assertThat(e.method()).isEqualTo("notifications/initialized");
  }

  @Test
  void resultResponse() {
    Envelope e = of("{\"jsonrpc\":\"2.0\",\"id\":\"srv-1\",\"result\":{}}");
    assertThat(e.kind()).isEqualTo(Envelope.Kind.RESPONSE);
    assertThat(e.id().asString()).isEqualTo("srv-1");
    assertThat(e.method()).isNull();
  }

  @Test
  void errorResponse() {
    Envelope e = of("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-1,\"message\":\"no\"}}");
    assertThat(e.kind()).isEqualTo(Envelope.Kind.RESPONSE);
  }

  @Test
  void responseWithBothResultAndErrorIsInvalid() {
    assertInvalid(() -> of("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{},\"error\":{\"code\":1}}"), "Not a JSON-RPC");
  }

  @Test
  void responseWithoutIdIsInvalid() {
    assertInvalid(() -> of("{\"jsonrpc\":\"2.0\",\"result\":{}}"), "Not a JSON-RPC");
  }

  @Test
  void objectWithNeitherMethodNorResultIsInvalid() {
    assertInvalid(() -> of("{\"jsonrpc\":\"2.0\",\"id\":1}"), "Not a JSON-RPC");
  }

  @Test
  void batchIsRejected() {
    assertInvalid(() -> of("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]"), "batches are not supported");
  }

  @Test
  void emptyBatchIsRejected() {
    assertInvalid(() -> of("[]"), "batches");
  }

  @Test
  void nullNodeIsRejected() {
    assertInvalid(() -> Envelope.of(null), "batches");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "\"text\"", "true", "null"})
  void nonObjectIsRejected(String json) {
    assertInvalid(() -> of(json), "must be a JSON object");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"id\":1,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}",
        "{\"jsonrpc\":2.0,\"id\":1,\"method\":\"ping\"}",
        "{\"jsonrpc\":null,\"id\":1,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"2.0 \",\"id\":1,\"method\":\"ping\"}"
      })
  void invalidJsonrpcVersionIsRejected(String json) {
    assertInvalid(() -> of(json), "\"jsonrpc\" must be \"2.0\"");
  }

  @Test
  void integerAndStringIdsKeepTheirType() {
    JsonNode intId = of("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}").id();
    JsonNode strId = of("{\"jsonrpc\":\"2.0\",\"id\":\"7\",\"method\":\"ping\"}").id();
    assertThat(intId.isIntegralNumber()).isTrue();
    assertThat(strId.isString()).isTrue();
    assertThat(intId).isNotEqualTo(strId);
  }

  @Test
  void largeIntegerIdIsAccepted() {
    JsonNode id = of("{\"jsonrpc\":\"2.0\",\"id\":123456789012345678901234567890,\"method\":\"ping\"}").id();
    assertThat(id.isIntegralNumber()).isTrue();
  }

  @Test
  void negativeAndZeroIdsAreAccepted() {
    assertThat(of("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"ping\"}").id().asInt()).isZero();
    assertThat(of("{\"jsonrpc\":\"2.0\",\"id\":-5,\"method\":\"ping\"}").id().asInt()).isEqualTo(-5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.5", "null", "true", "{}", "[]"})
  void requestIdOfWrongTypeIsRejected(String id) {
    assertInvalid(() -> of("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}"), "\"id\" must be");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.5", "null", "true", "{}"})
  void responseIdOfWrongTypeIsRejected(String id) {
    assertInvalid(() -> of("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{}}"), "\"id\" must be");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1,2]", "\"x\"", "1", "true", "null"})
  void paramsThatAreNotAnObjectAreRejected(String params) {
    assertInvalid(
        () -> of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":" + params + "}"),
        "\"params\" must be an object");
  }

  @Test
  void notificationParamsMustBeAnObjectToo() {
    assertInvalid(() -> of("{\"jsonrpc\":\"2.0\",\"method\":\"n\",\"params\":[]}"), "\"params\" must be an object");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"\"", "1", "null", "{}"})
  void methodMustBeANonEmptyString(String method) {
    assertInvalid(() -> of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":" + method + "}"), "\"method\" must be");
  }

  @Test
  void unknownFieldsAndMetaPassThroughUntouched() {
    String json =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"x\",\"_meta\":{\"progressToken\":\"p\"}},\"x-extra\":[1,{\"deep\":true}]}";
    Envelope e = of(json);
    assertThat(codec.writeString(e.raw())).isEqualTo(json);
  }
}
