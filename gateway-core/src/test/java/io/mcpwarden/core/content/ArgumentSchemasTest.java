package io.mcpwarden.core.content;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ArgumentSchemasTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String WEATHER = """
      {"type":"object","properties":{"city":{"type":"string","minLength":1},"days":{"type":"integer","minimum":1,"maximum":14}},
       "required":["city"],"additionalProperties":false}""";

  private final ArgumentSchemas schemas = new ArgumentSchemas();

  private static JsonNode json(String s) {
    return JSON.readTree(s);
  }

  @Test
  void conformingArgumentsAreValid() {
    assertThat(schemas.validate(json(WEATHER), json("{\"city\":\"Oslo\",\"days\":3}"))).isInstanceOf(ArgumentSchemas.Result.Valid.class);
  }

  @Test
  void violationsNameTheInstancePathAndWhatIsWrong() {
    var r = schemas.validate(json(WEATHER), json("{\"days\":\"three\",\"extra\":1}"));
    assertThat(r).isInstanceOf(ArgumentSchemas.Result.Invalid.class);
    var inv = (ArgumentSchemas.Result.Invalid) r;
    assertThat(String.join("\n", inv.violations()))
        .contains("$: required property 'city' not found")
        .contains("$.days")
        .contains("integer")
        .contains("extra");
  }

  @Test
  void aDraft07SchemaIsHonouredToo() {
    String s = "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"number\"}},\"required\":[\"n\"]}";
    assertThat(schemas.validate(json(s), json("{\"n\":1}"))).isInstanceOf(ArgumentSchemas.Result.Valid.class);
    assertThat(schemas.validate(json(s), json("{}"))).isInstanceOf(ArgumentSchemas.Result.Invalid.class);
  }

  @Test
  void aSchemaReferringToARemoteDocumentFailsClosedWithoutFetchingIt() {
    String s = "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"http://127.0.0.1:9/evil.json\"}}}";
    assertThat(schemas.validate(json(s), json("{\"a\":1}"))).isInstanceOf(ArgumentSchemas.Result.BadSchema.class);
  }

  @Test
  void localRefsWork() {
    String s = "{\"type\":\"object\",\"$defs\":{\"p\":{\"type\":\"string\"}},\"properties\":{\"a\":{\"$ref\":\"#/$defs/p\"}}}";
    assertThat(schemas.validate(json(s), json("{\"a\":\"x\"}"))).isInstanceOf(ArgumentSchemas.Result.Valid.class);
    assertThat(schemas.validate(json(s), json("{\"a\":1}"))).isInstanceOf(ArgumentSchemas.Result.Invalid.class);
  }

  @Test
  void aMissingSchemaIsABadSchema() {
    assertThat(schemas.validate(null, json("{}"))).isInstanceOf(ArgumentSchemas.Result.BadSchema.class);
  }
}
