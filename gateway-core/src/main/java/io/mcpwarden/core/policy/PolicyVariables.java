package io.mcpwarden.core.policy;

import dev.cel.common.values.MutableMapValue;
import dev.cel.common.values.NullValue;
import io.mcpwarden.core.auth.Principal;
import io.mcpwarden.core.config.PolicyConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a {@link PolicyRequest} into the variables CEL rules read.
 *
 * <p>Every variable is always bound with every documented key (empty values where nothing
 * applies), so a rule about tools evaluates to false on a prompt instead of failing on a missing
 * key; only keys inside open maps ({@code claims}, {@code annotations}, {@code arguments}) can be
 * missing, and rules guard those with {@code has()}.
 */
final class PolicyVariables {
  /** The fixed keys of each map variable; a rule selecting another key is a compile error. */
  static final Map<String, Set<String>> FIELDS = Map.of(
      "principal", Set.of("subject", "issuer", "authenticated", "scopes", "groups", "roles", "claims"),
      "server", Set.of("name", "classification", "level", "labels"),
      "tool", ItemFields.KEYS,
      "prompt", ItemFields.KEYS,
      "resource", ItemFields.KEYS,
      "session", Set.of("id", "age", "started"));

  /** MCP's defaults for tool annotation hints a server leaves out (2025-11-25 schema). */
  private static final Map<String, Object> TOOL_HINT_DEFAULTS = Map.of(
      "readOnlyHint", false, "destructiveHint", true, "idempotentHint", false, "openWorldHint", true);

  private final PolicyConfig config;
  private final Map<String, PolicyConfig.Server> servers;

  PolicyVariables(PolicyConfig config, Map<String, PolicyConfig.Server> servers) {
    this.config = config;
    this.servers = Map.copyOf(servers);
  }

  private static final class ItemFields {
    static final Set<String> KEYS = Set.of("name", "uri", "title", "description", "annotations", "classification", "level", "labels");
  }

  /** The variables of one request, without {@code arguments} (bound separately, or unknown). */
  Map<String, Object> bind(PolicyRequest r) {
    Map<String, Object> vars = new HashMap<>(16);
    vars.put("principal", principal(r.principal()));
    PolicyRequest.Target t = r.target();
    PolicyConfig.Server labels = servers.getOrDefault(t.server(), PolicyConfig.Server.DEFAULT);
    String serverClass = labels.server().classification() != null ? labels.server().classification() : config.defaultClassification();
    Map<String, Object> server = cel(Map.of("name", t.server(), "classification", serverClass, "level", level(serverClass),
        "labels", labels.server().labels()));
    vars.put("server", server);
    Map<String, Object> item = item(t, itemLabels(labels, t), serverClass);
    vars.put("tool", t.kind() == PolicyRequest.Kind.TOOL ? item : EMPTY_ITEM);
    vars.put("prompt", t.kind() == PolicyRequest.Kind.PROMPT ? item : EMPTY_ITEM);
    vars.put("resource", t.kind() == PolicyRequest.Kind.RESOURCE ? item : EMPTY_ITEM);
    vars.put("kind", t.kind().id());
    vars.put("session", session(r));
    vars.put("time", r.time());
    vars.put("risk", r.risk());
    return vars;
  }

  private static final Map<String, Object> EMPTY_ITEM = cel(Map.of("name", "", "uri", "", "title", "", "description", "",
      "annotations", cel(Map.of()), "classification", "", "level", -1L, "labels", List.of()));

  private Map<String, Object> principal(Principal p) {
    Map<String, Object> m = new HashMap<>(8);
    m.put("subject", p.subject());
    m.put("issuer", p.issuer() == null ? "" : p.issuer());
    m.put("authenticated", !p.equals(Principal.ANONYMOUS));
    m.put("scopes", List.copyOf(p.scopes()));
    m.put("groups", stringList(p.claims().get(config.groupsClaim())));
    m.put("roles", stringList(p.claims().get(config.rolesClaim())));
    m.put("claims", value(p.claims()));
    return cel(m);
  }

  /** A claim holding a list of names, or one name, or names separated by spaces or commas. */
  private static List<String> stringList(Object claim) {
    if (claim instanceof Collection<?> c) {
      List<String> out = new ArrayList<>(c.size());
      for (Object o : c) {
        if (o != null) {
          out.add(o.toString());
        }
      }
      return out;
    }
    if (claim instanceof String s && !s.isBlank()) {
      return List.of(s.trim().split("[\\s,]+"));
    }
    return List.of();
  }

  private static PolicyConfig.Labels itemLabels(PolicyConfig.Server labels, PolicyRequest.Target t) {
    Map<String, PolicyConfig.Labels> byName = switch (t.kind()) {
      case TOOL -> labels.tools();
      case PROMPT -> labels.prompts();
      case RESOURCE -> labels.resources();
    };
    PolicyConfig.Labels exact = byName.get(t.name());
    if (exact != null || t.kind() != PolicyRequest.Kind.RESOURCE) {
      return exact == null ? PolicyConfig.Labels.NONE : exact;
    }
    // Longest matching prefix entry, so a narrower entry overrides a broader one.
    PolicyConfig.Labels best = PolicyConfig.Labels.NONE;
    int bestLength = -1;
    for (Map.Entry<String, PolicyConfig.Labels> e : byName.entrySet()) {
      String key = e.getKey();
      if (key.endsWith("*") && t.name().startsWith(key.substring(0, key.length() - 1)) && key.length() > bestLength) {
        best = e.getValue();
        bestLength = key.length();
      }
    }
    return best;
  }

  private Map<String, Object> item(PolicyRequest.Target t, PolicyConfig.Labels labels, String serverClass) {
    ObjectNode listed = t.item();
    String classification = labels.classification() != null ? labels.classification() : serverClass;
    Map<String, Object> m = new HashMap<>(12);
    String listedName = listed == null ? null : listed.path("name").asString(null);
    m.put("name", t.kind() == PolicyRequest.Kind.RESOURCE && listedName != null ? listedName : t.name());
    m.put("uri", t.kind() == PolicyRequest.Kind.RESOURCE ? t.name() : "");
    m.put("title", listed == null ? "" : listed.path("title").asString(""));
    m.put("description", listed == null ? "" : listed.path("description").asString(""));
    Map<String, Object> annotations = new LinkedHashMap<>();
    if (t.kind() == PolicyRequest.Kind.TOOL) {
      annotations.putAll(TOOL_HINT_DEFAULTS);
    }
    if (listed != null && listed.get("annotations") instanceof ObjectNode a) {
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        annotations.put(e.getKey(), json(e.getValue()));
      }
    }
    m.put("annotations", cel(annotations));
    m.put("classification", classification);
    m.put("level", level(classification));
    m.put("labels", labels.labels());
    return cel(m);
  }

  private Map<String, Object> session(PolicyRequest r) {
    Instant started = r.sessionStart() == null ? r.time() : r.sessionStart();
    Duration age = Duration.between(started, r.time());
    return cel(Map.of("id", r.sessionId() == null ? "" : hash(r.sessionId()), "age", age.isNegative() ? Duration.ZERO : age,
        "started", started));
  }

  long level(String classification) {
    return config.classifications().indexOf(classification);
  }

  /**
   * A short SHA-256 of the session id: rules can tell sessions apart (or pin one in a test) but
   * never see the id itself, which is a bearer credential for the session.
   */
  static String hash(String sessionId) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A map CEL takes as it is. CEL's runtime converts a plain Java map, with everything in it,
   * each time a rule selects a key from it (50 rules: hundreds of deep copies per decision);
   * wrapped as one of its own map values it is used directly. The values inside are already
   * in CEL's form (long, double, String, List, Instant, Duration, wrapped maps).
   */
  static Map<String, Object> cel(Map<String, Object> m) {
    @SuppressWarnings("unchecked")
    Map<String, Object> wrapped = (Map<String, Object>) (Map<?, ?>) MutableMapValue.create(m);
    return wrapped;
  }

  /** A JSON value as CEL sees it: objects as maps, arrays as lists, integers as int. */
  static Object json(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return NullValue.NULL_VALUE;
    }
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        m.put(e.getKey(), json(e.getValue()));
      }
      return cel(m);
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>(n.size());
      for (JsonNode e : n) {
        l.add(json(e));
      }
      return l;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isIntegralNumber()) {
      return n.canConvertToLong() ? (Object) n.longValue() : (Object) n.doubleValue();
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    return n.asString();
  }

  /** A claim value (from a JWT or introspection answer) as CEL sees it. */
  static Object value(Object o) {
    return switch (o) {
      case null -> NullValue.NULL_VALUE;
      case String s -> s;
      case Boolean b -> b;
      case Long l -> l;
      case Integer i -> (long) i;
      case Short s -> (long) s;
      case Double d -> d;
      case Float f -> (double) f;
      case Number n -> n.doubleValue();
      case Date d -> d.toInstant();
      case Instant i -> i;
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), value(v)));
        yield cel(out);
      }
      case Collection<?> c -> {
        List<Object> out = new ArrayList<>(c.size());
        c.forEach(v -> out.add(value(v)));
        yield out;
      }
      default -> o.toString();
    };
  }
}
