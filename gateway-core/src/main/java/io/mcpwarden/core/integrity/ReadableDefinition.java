package io.mcpwarden.core.integrity;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders a pinned definition for people: each text field as its own lines (so a changed sentence
 * in a long description shows as a changed line, not as one huge JSON string), each structured
 * field (schemas, annotations, arguments) as canonical pretty JSON.
 */
final class ReadableDefinition {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ReadableDefinition() {}

  static String render(String canonicalDefinition) {
    JsonNode def = JSON.readTree(canonicalDefinition);
    StringBuilder sb = new StringBuilder();
    for (var e : def.properties()) { // canonical text: members already sorted
      JsonNode v = e.getValue();
      sb.append(e.getKey()).append(':');
      if (v.isString()) {
        String text = v.asString();
        if (text.contains("\n")) {
          sb.append('\n');
          for (String line : text.split("\n", -1)) {
            sb.append("  ").append(line).append('\n');
          }
        } else {
          sb.append(' ').append(text).append('\n');
        }
      } else {
        sb.append('\n');
        for (String line : CanonicalJson.pretty(v).split("\n", -1)) {
          sb.append("  ").append(line).append('\n');
        }
      }
    }
    return sb.toString();
  }
}
