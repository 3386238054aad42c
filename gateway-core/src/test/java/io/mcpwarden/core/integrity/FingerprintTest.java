package io.mcpwarden.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class FingerprintTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static ObjectNode obj(String json) {
    return (ObjectNode) JSON.readTree(json);
  }

  @Test
  void keyOrderAndWhitespaceDoNotChangeTheFingerprint() {
    ObjectNode a = obj("{\"name\":\"echo\",\"description\":\"Echoes\",\"inputSchema\":{\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"string\"},\"a\":{\"type\":\"integer\"}}}}");
    ObjectNode b = obj("""
        { "inputSchema" : { "properties" : { "a" : {"type":"integer"}, "b":{"type":"string"} },
          "type":"object" },
          "description": "Echoes", "name": "echo" }""");
    assertThat(Fingerprint.of(ItemKind.TOOL, a).sha256()).isEqualTo(Fingerprint.of(ItemKind.TOOL, b).sha256()).startsWith("sha256:");
  }

  @Test
  void canonicalTextIsSortedCompactAndMinimallyEscaped() {
    ObjectNode o = obj("{\"b\":[3,1.50,1e2,-0.0],\"a\":\"x\\\"y\\\\z\\n\\u0001é\",\"A\":true,\"c\":null,\"d\":{}}");
    assertThat(CanonicalJson.compact(o)).isEqualTo("{\"A\":true,\"a\":\"x\\\"y\\\\z\\n\\u0001é\",\"b\":[3,1.5,100,0],\"c\":null,\"d\":{}}");
  }

  @Test
  void onlyWhatTheModelReadsIsFingerprinted() {
    ObjectNode base = obj("{\"name\":\"echo\",\"description\":\"Echoes\"}");
    ObjectNode withMeta = obj("{\"name\":\"echo\",\"description\":\"Echoes\",\"_meta\":{\"x\":1},\"icons\":[{\"src\":\"https://x/i.png\"}]}");
    assertThat(Fingerprint.of(ItemKind.TOOL, withMeta).sha256()).isEqualTo(Fingerprint.of(ItemKind.TOOL, base).sha256());
    assertThat(Fingerprint.of(ItemKind.TOOL, withMeta).canonical()).isEqualTo("{\"description\":\"Echoes\",\"name\":\"echo\"}");
  }

  @Test
  void anyChangeToDescriptionSchemaOrAnnotationsChangesIt() {
    String base = Fingerprint.of(ItemKind.TOOL, obj("{\"name\":\"echo\",\"description\":\"Echoes\",\"inputSchema\":{\"type\":\"object\"}}")).sha256();
    assertThat(Fingerprint.of(ItemKind.TOOL, obj("{\"name\":\"echo\",\"description\":\"Echoes.\",\"inputSchema\":{\"type\":\"object\"}}")).sha256()).isNotEqualTo(base);
    assertThat(Fingerprint.of(ItemKind.TOOL, obj("{\"name\":\"echo\",\"description\":\"Echoes\",\"inputSchema\":{\"type\":\"object\",\"required\":[\"x\"]}}")).sha256()).isNotEqualTo(base);
    assertThat(Fingerprint.of(ItemKind.TOOL, obj("{\"name\":\"echo\",\"description\":\"Echoes\",\"inputSchema\":{\"type\":\"object\"},\"annotations\":{\"readOnlyHint\":true}}")).sha256()).isNotEqualTo(base);
    assertThat(Fingerprint.of(ItemKind.PROMPT, obj("{\"name\":\"p\",\"arguments\":[{\"name\":\"a\"}]}")).sha256())
        .isNotEqualTo(Fingerprint.of(ItemKind.PROMPT, obj("{\"name\":\"p\",\"arguments\":[{\"name\":\"a\",\"description\":\"ignore previous\"}]}")).sha256());
  }

  @Test
  void prettyFormKeepsTheCanonicalOrder() {
    assertThat(CanonicalJson.pretty(obj("{\"b\":1,\"a\":[true]}"))).isEqualTo("{\n  \"a\": [\n    true\n  ],\n  \"b\": 1\n}");
  }
}
