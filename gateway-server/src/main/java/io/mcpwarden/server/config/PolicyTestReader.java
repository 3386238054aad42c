package io.mcpwarden.server.config;

import io.mcpwarden.core.auth.Principal;
import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.PolicyConfig;
import io.mcpwarden.core.config.PolicyConfig.Effect;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.policy.PolicyRequest;
import io.mcpwarden.core.policy.PolicyRequest.Kind;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a {@code mcp-warden policy test} file: which policy to test and the cases to run.
 *
 * <p>Every problem is reported with its YAML path, as configuration errors are, so a broken test
 * file fails loudly instead of passing by testing nothing. Format: {@code docs/policy.md}.
 */
public final class PolicyTestReader {
  private PolicyTestReader() {}

  /**
   * What to test.
   *
   * @param policy the policy settings (rules, default, classifications, claims)
   * @param labels each server's classification labels
   * @param cases in file order
   */
  public record Suite(PolicyConfig policy, Map<String, PolicyConfig.Server> labels, List<Case> cases) {}

  /**
   * One case.
   *
   * @param name shown in the output
   * @param request what is asked (arguments null for a list case)
   * @param expect the expected effect
   * @param reason a text the decision's reason must contain, or null
   * @param rule the rule expected to decide, or null ({@code default} for the default effect)
   */
  public record Case(String name, PolicyRequest request, Effect expect, String reason, String rule) {}

  /**
   * Reads a test file; {@code config:} (a gateway configuration) or {@code policy:} (a rules
   * file) names the policy, relative to the test file.
   *
   * @throws ConfigException for the test file's or the named policy's problems (rules that do
   *     not compile included)
   */
  public static Suite read(Path file, ConfigLoader loader) {
    List<ConfigError> errors = new ArrayList<>();
    Object doc;
    try {
      LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).setAllowDuplicateKeys(false)
          .setMaxAliasesForCollections(10).build();
      doc = new Load(settings).loadFromString(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of(new ConfigError("", "cannot read file: " + e.getMessage())));
    } catch (YamlEngineException e) {
      throw new ConfigException(file.toString(), List.of(new ConfigError("", "not valid YAML: " + e.getMessage())));
    }
    YamlNode root = new YamlNode("", doc == null ? Map.of() : doc, errors);
    Path dir = file.toAbsolutePath().getParent();
    String configRef = root.get("config").string(null);
    String policyRef = root.get("policy").string(null);
    PolicyConfig policy = PolicyConfig.DEFAULT.withEnabled().withRules(new PolicyConfig.Rules(Effect.DENY, List.of()));
    Map<String, PolicyConfig.Server> labels = new LinkedHashMap<>();
    if ((configRef == null) == (policyRef == null)) {
      root.error("name exactly one of 'config' (a gateway configuration) and 'policy' (a rules file)");
    } else if (configRef != null) {
      GatewayConfig gc = loader.load(dir.resolve(configRef)); // its errors are thrown as they are
      if (!gc.policy().enabled()) {
        root.get("config").error("that configuration has no policy section: nothing to test");
      }
      policy = gc.policy();
      for (ServerConfig sc : gc.servers()) {
        labels.put(sc.name(), sc.policy());
      }
    } else {
      policy = policy.withRules(PolicyFileReader.read(dir.resolve(policyRef)));
    }
    List<Case> cases = new ArrayList<>();
    YamlNode list = root.get("cases");
    if (!(list.raw() instanceof List<?> l) || l.isEmpty()) {
      list.error("required: a non-empty list of cases");
    } else {
      for (int i = 0; i < l.size(); i++) {
        Case c = testCase(list.item(i), i, policy);
        if (c != null) {
          cases.add(c);
        }
      }
    }
    root.rejectUnknownKeys();
    if (!errors.isEmpty()) {
      throw new ConfigException(file.toString(), errors);
    }
    return new Suite(policy, labels, cases);
  }

  private static Case testCase(YamlNode n, int index, PolicyConfig policy) {
    if (!n.isMap()) {
      n.error("must be a mapping");
      return null;
    }
    String name = n.get("name").string("case " + (index + 1));
    Principal principal = principal(n.get("principal"), policy);
    YamlNode serverNode = n.get("server");
    String server = serverNode.string(null);
    if (server == null) {
      serverNode.error("required: the server's configured name");
      server = "";
    }
    Kind kind = null;
    String target = null;
    for (Kind k : Kind.values()) {
      String v = n.get(k.id()).string(null);
      if (v != null) {
        if (kind != null) {
          n.error("name one of tool, prompt and resource");
        }
        kind = k;
        target = v;
      }
    }
    if (kind == null) {
      n.error("name the tool, prompt or resource (its URI) addressed");
      kind = Kind.TOOL;
      target = "";
    }
    ObjectNode item = JsonRpc.NODES.objectNode();
    item.put(kind == Kind.RESOURCE ? "uri" : "name", target);
    YamlNode annotations = n.get("annotations");
    if (!annotations.isMissing()) {
      if (annotations.isMap()) {
        item.set("annotations", json(annotations.raw()));
      } else {
        annotations.error("must be a mapping");
      }
    }
    boolean list = n.get("list").bool(false);
    YamlNode argsNode = n.get("arguments");
    JsonNode arguments = null;
    if (list) {
      if (!argsNode.isMissing()) {
        argsNode.error("a list case decides without arguments; remove them or set list: false");
      }
    } else if (argsNode.isMissing()) {
      arguments = JsonRpc.NODES.objectNode();
    } else if (argsNode.isMap()) {
      arguments = json(argsNode.raw());
    } else {
      argsNode.error("must be a mapping");
    }
    YamlNode timeNode = n.get("time");
    Instant time = Instant.now();
    String t = timeNode.string(null);
    if (t != null) {
      try {
        time = Instant.parse(t);
      } catch (DateTimeParseException e) {
        timeNode.error("must be an ISO-8601 instant such as 2026-03-02T10:00:00Z");
      }
    }
    YamlNode session = n.get("session");
    String sessionId = session.get("id").string("test-session");
    Duration age = session.get("age").duration(Duration.ofMinutes(1));
    session.rejectUnknownKeys();
    YamlNode riskNode = n.get("risk");
    double risk = 0;
    if (riskNode.raw() instanceof Number num) {
      risk = num.doubleValue();
    } else if (!riskNode.isMissing()) {
      riskNode.error("must be a number in [0,1]");
    }
    YamlNode expectNode = n.get("expect");
    String expect = expectNode.string(null);
    Effect effect = Effect.DENY;
    if ("allow".equals(expect)) {
      effect = Effect.ALLOW;
    } else if (!"deny".equals(expect)) {
      expectNode.error("required: allow or deny");
    }
    String reason = n.get("reason").string(null);
    String rule = n.get("rule").string(null);
    n.rejectUnknownKeys();
    PolicyRequest request = new PolicyRequest(principal, new PolicyRequest.Target(kind, server, target, item), arguments,
        sessionId, time.minus(age), time, risk);
    return new Case(name, request, effect, reason, rule);
  }

  private static Principal principal(YamlNode n, PolicyConfig policy) {
    if (n.isMissing()) {
      return Principal.ANONYMOUS;
    }
    String subject = n.get("subject").string(null);
    if (subject == null) {
      n.get("subject").error("required (omit the whole principal for an anonymous caller)");
      subject = "";
    }
    String issuer = n.get("issuer").string("https://issuer.test");
    List<String> scopes = n.get("scopes").strings(List.of());
    Map<String, Object> claims = new LinkedHashMap<>();
    YamlNode claimsNode = n.get("claims");
    if (claimsNode.isMap()) {
      claims.putAll(plain(claimsNode.raw()));
    } else if (!claimsNode.isMissing()) {
      claimsNode.error("must be a mapping");
    }
    List<String> groups = n.get("groups").strings(null);
    if (groups != null) {
      claims.put(policy.groupsClaim(), groups);
    }
    List<String> roles = n.get("roles").strings(null);
    if (roles != null) {
      claims.put(policy.rolesClaim(), roles);
    }
    n.rejectUnknownKeys();
    return new Principal(subject, issuer, new LinkedHashSet<>(scopes), claims, null, null);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> plain(Object yaml) {
    Map<String, Object> out = new LinkedHashMap<>();
    ((Map<Object, Object>) yaml).forEach((k, v) -> out.put(String.valueOf(k), v instanceof BigInteger b ? b.doubleValue() : v));
    return out;
  }

  private static JsonNode json(Object yaml) {
    return switch (yaml) {
      case null -> JsonRpc.NODES.nullNode();
      case Map<?, ?> m -> {
        ObjectNode o = JsonRpc.NODES.objectNode();
        m.forEach((k, v) -> o.set(String.valueOf(k), json(v)));
        yield o;
      }
      case List<?> l -> {
        var a = JsonRpc.NODES.arrayNode();
        l.forEach(v -> a.add(json(v)));
        yield a;
      }
      case Boolean b -> JsonRpc.NODES.booleanNode(b);
      case Integer i -> JsonRpc.NODES.numberNode(i);
      case Long v -> JsonRpc.NODES.numberNode(v);
      case BigInteger b -> JsonRpc.NODES.numberNode(b);
      case Double d -> JsonRpc.NODES.numberNode(d);
      default -> JsonRpc.NODES.stringNode(yaml.toString());
    };
  }
}
