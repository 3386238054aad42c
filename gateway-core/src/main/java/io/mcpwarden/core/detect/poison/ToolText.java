package io.mcpwarden.core.detect.poison;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything a model reads of a tool definition, as labelled text segments: name, title,
 * description, and every string and property name inside inputSchema, outputSchema and
 * annotations (descriptions, titles, enum values, defaults, examples, at any depth).
 *
 * <p>Payloads hide wherever the client passes text to the model, not only in the description; the
 * segment's {@code where} lets a quarantine reason say where a rule fired.
 *
 * @param segments the texts in document order
 */
public record ToolText(List<Segment> segments) {
  /** At most this many segments are read from one tool (bounded work on hostile input). */
  static final int MAX_SEGMENTS = 2_000;

  /** Keys whose children are named sub-schemas: the names themselves are text the model reads. */
  private static final Set<String> NAMED_CHILDREN =
      Set.of("properties", "patternProperties", "$defs", "definitions", "dependentSchemas");

  /** Schema keywords whose strings are structure, not prose. */
  private static final Set<String> STRUCTURAL = Set.of("type", "$ref", "$schema", "$id", "format", "required");

  /** One piece of text and where it came from, e.g. {@code inputSchema.properties.path.description}. */
  public record Segment(String where, String text) {}

  public ToolText {
    segments = List.copyOf(segments);
  }

  /** The texts of an MCP {@code Tool} object. */
  public static ToolText of(ObjectNode tool) {
    List<Segment> out = new ArrayList<>();
    addString(out, "name", tool.get("name"));
    addString(out, "title", tool.get("title"));
    addString(out, "description", tool.get("description"));
    walk(out, "inputSchema", tool.get("inputSchema"));
    walk(out, "outputSchema", tool.get("outputSchema"));
    walk(out, "annotations", tool.get("annotations"));
    return new ToolText(out);
  }

  /** All segments joined by newlines: the text the classifier reads. */
  public String joined() {
    StringBuilder b = new StringBuilder();
    for (Segment s : segments) {
      if (!b.isEmpty()) {
        b.append('\n');
      }
      b.append(s.text());
    }
    return b.toString();
  }

  private static void addString(List<Segment> out, String where, JsonNode node) {
    if (node != null && node.isString() && !node.asString().isBlank() && out.size() < MAX_SEGMENTS) {
      out.add(new Segment(where, node.asString()));
    }
  }

  private static void walk(List<Segment> out, String where, JsonNode node) {
    if (node == null || out.size() >= MAX_SEGMENTS) {
      return;
    }
    if (node.isString()) {
      addString(out, where, node);
    } else if (node.isArray()) {
      int i = 0;
      for (JsonNode item : node) {
        walk(out, where + "[" + i++ + "]", item);
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String key = e.getKey();
        String path = where + "." + key;
        if (NAMED_CHILDREN.contains(key) && e.getValue().isObject()) {
          for (Map.Entry<String, JsonNode> child : e.getValue().properties()) {
            if (out.size() < MAX_SEGMENTS) {
              out.add(new Segment(path + "." + child.getKey() + " (name)", child.getKey()));
            }
            walk(out, path + "." + child.getKey(), child.getValue());
          }
        } else if (!STRUCTURAL.contains(key)) {
          walk(out, path, e.getValue());
        }
      }
    }
  }
}
