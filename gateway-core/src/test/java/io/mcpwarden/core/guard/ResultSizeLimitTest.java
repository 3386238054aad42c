package io.mcpwarden.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.message.JsonRpc;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ResultSizeLimitTest {
  private static ObjectNode resultOf(int textLength) {
    ObjectNode result = JsonRpc.NODES.objectNode();
    result.putArray("content").addObject().put("type", "text").put("text", "x".repeat(textLength));
    return JsonRpc.result(JsonRpc.NODES.numberNode(1), result);
  }

  private static int size(ObjectNode msg) {
    return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsBytes(msg).length;
  }

  @Test
  void aResultAtTheLimitPassesAndOneByteMoreIsWithheld() {
    ObjectNode atLimit = resultOf(5000);
    int limit = size(atLimit);
    ResultSizeGuard g = new ResultSizeGuard(limit);

    Outcome ok = g.intercept(GuardChainTest.exchange("tools/call"), ex -> new Outcome.Forward(atLimit));
    assertThat(ok).isInstanceOf(Outcome.Forward.class);

    Outcome over = g.intercept(GuardChainTest.exchange("tools/call"), ex -> new Outcome.Forward(resultOf(5001)));
    assertThat(over).isInstanceOfSatisfying(Outcome.Limited.class, l -> {
      assertThat(l.limit()).isEqualTo("max-result-bytes");
      assertThat(l.retryAfterSeconds()).isZero();
      assertThat(l.httpStatus()).isEqualTo(200);
      assertThat(l.reason()).contains(String.valueOf(limit));
    });
    ObjectNode err = over.response(JsonRpc.NODES.numberNode(1));
    assertThat(err.path("error").path("code").asInt()).isEqualTo(JsonRpc.LIMIT_EXCEEDED);
    assertThat(err.path("error").path("data").path("limit").asString()).isEqualTo("max-result-bytes");
    assertThat(err.path("error").path("data").has("retryAfterSeconds")).isFalse();
    assertThat(err.toString()).doesNotContain("xxxxx");
  }

  @Test
  void aHugeResultIsMeasuredOnlyUpToTheLimit() {
    assertThat(ResultSizeGuard.exceeds(resultOf(5_000_000), 2048)).isTrue();
    assertThat(ResultSizeGuard.exceeds(resultOf(10), 2048)).isFalse();
  }

  @Test
  void answersTheGatewayMadeItselfAreNotMeasured() {
    ResultSizeGuard g = new ResultSizeGuard(1024);
    Outcome respond = new Outcome.Respond(resultOf(10_000));
    assertThat(g.intercept(GuardChainTest.exchange("tools/list"), ex -> respond)).isSameAs(respond);
  }

  @Test
  void theQuickBoundIsNeverBelowTheSerializedSizeAndTheVerdictIsExactAtEveryLimit() {
    ObjectNode r = JsonRpc.NODES.objectNode();
    r.put("ascii", "plain text").put("controls", "tab\t nl\n nul\u0000 bell\u0007").put("quotes", "\"\\/")
        .put("accents", "éàü ∑ 漢字").put("emoji", "🙂🙂").put("€ key \u0001", "v")
        .put("long", Long.MIN_VALUE).put("double", -1.2345678901234567E-300).put("big", new java.math.BigDecimal("1E+400"))
        .put("bigint", new java.math.BigInteger("123456789012345678901234567890")).put("yes", true).putNull("nothing")
        .put("bytes", new byte[] {1, 2, 3, 4, 5, 6, 7});
    r.putArray("empty");
    r.putObject("nested").putArray("deep").add(1).add("two").addObject().put("three", 3.0f);
    ObjectNode msg = JsonRpc.result(JsonRpc.NODES.numberNode(1), r);
    int size = size(msg);
    assertThat(ResultSizeGuard.upperBound(msg, Long.MAX_VALUE)).isGreaterThanOrEqualTo(size);
    for (int limit = size - 3; limit <= size + 3; limit++) {
      assertThat(ResultSizeGuard.exceeds(msg, limit)).as("limit %d, size %d", limit, size).isEqualTo(size > limit);
    }
    assertThat(ResultSizeGuard.exceeds(msg, 10L * size)).as("far under the limit: the bound alone decides").isFalse();
  }
}
