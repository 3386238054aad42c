package io.mcpwarden.core.secret;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one syntax by which configuration refers to a stored secret: {@code ${secret:NAME}}.
 *
 * <p>It matches the configuration's other placeholders ({@code ${env:NAME}}), but unlike them it
 * is not expanded when the configuration is loaded: the loaded configuration keeps the reference,
 * so the configuration value (which is printed, diffed and versioned) never holds the secret.
 * References are resolved only where the value is handed over: a child's environment, an
 * upstream request header, a token request.
 */
public final class SecretReferences {
  /** A reference anywhere in a string; group 1 is the name. */
  public static final Pattern REFERENCE = Pattern.compile("\\$\\{secret:([^}]*)}");

  private SecretReferences() {}

  /** Whether the text holds at least one reference. */
  public static boolean contains(String text) {
    return text != null && REFERENCE.matcher(text).find();
  }

  /** The names referenced in the text, in order, duplicates kept. */
  public static List<String> names(String text) {
    List<String> out = new ArrayList<>();
    if (text != null) {
      Matcher m = REFERENCE.matcher(text);
      while (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** The name when the whole text is exactly one reference, such as {@code ${secret:gh-token}}. */
  public static Optional<String> exactName(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = REFERENCE.matcher(text.strip());
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The reference text for a name. */
  public static String of(String name) {
    return "${secret:" + name + "}";
  }

  /**
   * Replaces every reference by its value; the result is secret material, for handing over only.
   *
   * @throws SecretStoreException when a referenced secret is unknown to the resolver
   */
  public static String expand(String template, SecretResolver secrets) {
    if (!contains(template)) {
      return template;
    }
    Matcher m = REFERENCE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(secrets.require(m.group(1)).reveal()));
    }
    m.appendTail(out);
    return out.toString();
  }
}
