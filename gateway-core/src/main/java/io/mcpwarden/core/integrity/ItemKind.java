package io.mcpwarden.core.integrity;

import java.util.List;
import java.util.Locale;

/**
 * The kinds of upstream definitions that are pinned, each with the fields its fingerprint covers
 * and the field that names it.
 *
 * <p>The fields are what the model reads of an item (its instructions); volatile or cosmetic
 * fields such as {@code _meta} and {@code icons} are left out so they cannot quarantine a tool.
 * Prompts add their {@code arguments} (the prompt's input schema) and templates their URI template
 * and MIME type, since those steer the model as much as a description does.
 */
public enum ItemKind {
  TOOL("name", List.of("name", "title", "description", "inputSchema", "outputSchema", "annotations")),
  PROMPT("name", List.of("name", "title", "description", "arguments")),
  RESOURCE_TEMPLATE("uriTemplate", List.of("uriTemplate", "name", "title", "description", "mimeType", "annotations"));

  private final String nameKey;
  private final List<String> fields;

  ItemKind(String nameKey, List<String> fields) {
    this.nameKey = nameKey;
    this.fields = fields;
  }

  /** The member that identifies an item of this kind on its server. */
  public String nameKey() {
    return nameKey;
  }

  /** The members the fingerprint covers. */
  public List<String> fields() {
    return fields;
  }

  /** The kebab-case name used in the database, the CLI and the admin API. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The kind named by {@link #label()} (or its enum name), or null. */
  public static ItemKind parse(String s) {
    for (ItemKind k : values()) {
      if (k.label().equalsIgnoreCase(s) || k.name().equalsIgnoreCase(s)) {
        return k;
      }
    }
    return null;
  }
}
