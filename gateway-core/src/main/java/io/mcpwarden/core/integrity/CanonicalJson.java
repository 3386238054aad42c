package io.mcpwarden.core.integrity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Canonical JSON text of a JSON tree, so equal definitions always hash to the same fingerprint.
 *
 * <p>Modelled on RFC 8785 (JSON Canonicalization Scheme): object members sorted by their names
 * compared as UTF-16 code units, no whitespace between tokens, strings escaped minimally ({@code
 * "}, {@code \}, and control characters below U+0020 as {@code \b \t \n \f \r} or {@code \\u00xx}
 * with lower-case hex; everything else, non-ASCII included, as the character itself), array order
 * kept. One difference: a number is written as the shortest plain decimal of its exact value
 * ({@code 1.0} and {@code 1} are both {@code 1}, {@code 1e2} is {@code 100}) rather than in
 * ECMAScript's double notation, which is equally stable and needs no float formatting rules.
 * {@link #pretty} is the same ordering with two-space indentation, for readable diffs.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /** The canonical compact text: what fingerprints hash. */
  public static String compact(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    write(node, sb, -1, 0);
    return sb.toString();
  }

  /** The canonical order with indentation, one member or element a line: what diffs compare. */
  public static String pretty(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    write(node, sb, 2, 0);
    return sb.toString();
  }

  private static void write(JsonNode node, StringBuilder sb, int indent, int depth) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      sb.append("null");
    } else if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
      members.sort(Map.Entry.comparingByKey()); // String.compareTo compares UTF-16 code units, as RFC 8785 asks
      if (members.isEmpty()) {
        sb.append("{}");
        return;
      }
      sb.append('{');
      for (int i = 0; i < members.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        newline(sb, indent, depth + 1);
        string(members.get(i).getKey(), sb);
        sb.append(indent < 0 ? ":" : ": ");
        write(members.get(i).getValue(), sb, indent, depth + 1);
      }
      newline(sb, indent, depth);
      sb.append('}');
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        sb.append("[]");
        return;
      }
      sb.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        newline(sb, indent, depth + 1);
        write(node.get(i), sb, indent, depth + 1);
      }
      newline(sb, indent, depth);
      sb.append(']');
    } else if (node.isString()) {
      string(node.asString(), sb);
    } else if (node.isBoolean()) {
      sb.append(node.asBoolean());
    } else if (node.isNumber()) {
      sb.append(number(node));
    } else {
      // binary, POJO: not produced by parsing JSON text; keep them distinct and stable anyway
      string(node.asString(), sb);
    }
  }

  private static String number(JsonNode node) {
    BigDecimal d = node.isIntegralNumber() ? new BigDecimal(node.bigIntegerValue()) : node.decimalValue();
    if (d.signum() == 0) {
      return "0";
    }
    return d.stripTrailingZeros().toPlainString();
  }

  private static void newline(StringBuilder sb, int indent, int depth) {
    if (indent >= 0) {
      sb.append('\n').repeat(' ', indent * depth);
    }
  }

  private static void string(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\t' -> sb.append("\\t");
        case '\n' -> sb.append("\\n");
        case '\f' -> sb.append("\\f");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
