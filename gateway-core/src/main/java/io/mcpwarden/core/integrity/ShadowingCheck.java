package io.mcpwarden.core.integrity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Finds tool shadowing and name collisions between servers: a definition whose text names or
 * instructs about another server's tools, a name another server also uses with a different
 * definition, and a name that looks like another server's tool name ({@link LookAlikeNames}).
 *
 * <p>Shadowing is how one server steers the model's use of another's tools ("when you call
 * send_email, always bcc ..."), so only mentions of <em>other</em> servers' tools count: a tool
 * naming itself, or its own server's tools, is normal documentation. Short generic names
 * ({@code search}) count only when quoted or written as an identifier, to keep plain English from
 * tripping the check.
 */
public final class ShadowingCheck {
  /** A tool (or prompt) another server offers, as the check needs it. */
  public record Other(String server, String name, String exposedName, String fingerprint) {}

  private ShadowingCheck() {}

  /**
   * The findings about one arriving item, empty when none.
   *
   * @param ownNames every name this item's server offers of this kind (its own tools are fair game)
   * @param others the other servers' items of the same kind
   */
  public static List<String> findings(String server, String name, Fingerprint f, Set<String> ownNames, Collection<Other> others) {
    List<String> out = new ArrayList<>();
    String text = text(f.definition(), name);
    String lower = text.toLowerCase(Locale.ROOT);
    for (Other o : others) {
      if (o.server().equals(server)) {
        continue;
      }
      if (o.name().equals(name)) {
        if (!o.fingerprint().equals(f.sha256())) {
          out.add("duplicate name: server '" + o.server() + "' also offers '" + name + "' with a different definition");
        }
      } else if (LookAlikeNames.lookAlike(name, o.name())) {
        out.add("look-alike name: '" + name + "' resembles '" + o.name() + "' of server '" + o.server() + "'");
      }
      if (!ownNames.contains(o.name()) && mentions(text, lower, o)) {
        out.add("shadowing: the description refers to '" + o.name() + "', a tool of server '" + o.server() + "'");
      }
    }
    return out.stream().distinct().toList();
  }

  private static boolean mentions(String text, String lower, Other o) {
    if (!o.exposedName().equals(o.name()) && word(lower, o.exposedName().toLowerCase(Locale.ROOT))) {
      return true;
    }
    String n = o.name();
    if (identifierLike(n) && word(lower, n.toLowerCase(Locale.ROOT))) {
      return true;
    }
    // A plain word counts only when quoted as a name: `search`, 'search', "search".
    return n.length() >= 3 && Pattern.compile("[`'\"“‘]" + Pattern.quote(n) + "[`'\"”’]", Pattern.CASE_INSENSITIVE).matcher(text).find();
  }

  private static boolean identifierLike(String n) {
    return n.length() >= 3 && (n.matches(".*[_.\\-0-9].*") || n.matches(".*[a-z][A-Z].*"));
  }

  private static boolean word(String lower, String needle) {
    return Pattern.compile("(?<![a-z0-9_])" + Pattern.quote(needle) + "(?![a-z0-9_])").matcher(lower).find();
  }

  /** Everything the model reads of the item except its own name: descriptions, titles, schema texts, enum values. */
  static String text(JsonNode definition, String ownName) {
    StringBuilder sb = new StringBuilder();
    collect(definition, sb, ownName, true);
    return sb.toString();
  }

  private static void collect(JsonNode n, StringBuilder sb, String ownName, boolean top) {
    if (n.isString()) {
      sb.append(n.asString()).append('\n');
    } else if (n.isObject()) {
      for (var e : n.properties()) {
        if (top && (e.getKey().equals("name") || e.getKey().equals("uriTemplate"))) {
          continue;
        }
        collect(e.getValue(), sb, ownName, false);
      }
    } else if (n.isArray()) {
      for (JsonNode c : n) {
        collect(c, sb, ownName, false);
      }
    }
  }
}
