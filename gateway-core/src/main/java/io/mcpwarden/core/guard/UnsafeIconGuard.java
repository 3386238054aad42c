package io.mcpwarden.core.guard;

import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Removes icons whose URI is not {@code https:} or {@code data:} from list results.
 *
 * <p>Icons are untrusted upstream data that clients may fetch or render; a {@code javascript:} or
 * {@code file:} icon is an attack on the client, so the gateway strips it before relaying.
 */
public final class UnsafeIconGuard implements Guard {
  private static final Set<String> LIST_METHODS =
      Set.of("tools/list", "prompts/list", "resources/list", "resources/templates/list");

  @Override
  public Outcome intercept(Exchange exchange, Chain next) {
    Outcome outcome = next.proceed(exchange);
    if (!LIST_METHODS.contains(exchange.request().method())) {
      return outcome;
    }
    ObjectNode response = outcome.response(exchange.request().id());
    JsonNode result = response == null ? null : response.get("result");
    if (result instanceof ObjectNode r) {
      for (JsonNode list : r) {
        if (list instanceof ArrayNode items) {
          for (JsonNode item : items) {
            if (item instanceof ObjectNode o) {
              strip(o);
            }
          }
        }
      }
    }
    return outcome;
  }

  static void strip(ObjectNode item) {
    if (item.get("icons") instanceof ArrayNode icons) {
      for (int i = icons.size() - 1; i >= 0; i--) {
        if (!safe(icons.get(i).path("src").asString(""))) {
          icons.remove(i);
        }
      }
    }
  }

  static boolean safe(String uri) {
    String u = uri.strip().toLowerCase(Locale.ROOT);
    return u.startsWith("https:") || u.startsWith("data:image/");
  }
}
