package io.mcpwarden.core.content;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validates tool-call arguments against a tool's {@code inputSchema} with the networknt JSON Schema
 * validator, compiling each distinct schema once.
 *
 * <p>Schemas come from upstream servers, so they are untrusted: the registry never loads anything
 * a {@code $ref} points to (no network, no files), which fails such a schema closed instead of
 * letting a server make the gateway fetch URLs. Compiled schemas are cached by the schema's
 * serialized text (its fingerprint), bounded, so every session that lists the same tool shares one
 * compiled schema; a second, weak identity map in front spares the serialization on every call.
 */
final class ArgumentSchemas {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_REPORTED = 5;

  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b
      .schemaLoader(l -> l.fetchRemoteResources(false).block(iri -> !"classpath".equals(iri.getScheme())))
      .schemaRegistryConfig(com.networknt.schema.SchemaRegistryConfig.builder().pathType(PathType.JSON_PATH).build())
      .schemaCacheEnabled(false));
  private final Cache<String, Compiled> cache = Caffeine.newBuilder()
      .maximumWeight(16L * 1024 * 1024)
      .weigher((String k, Compiled v) -> k.length() + 64)
      .build();
  /**
   * The same compiled schemas by schema node (identity, held weakly): a session's catalog hands
   * the guard the same definition node on every call, so the schema is serialized once per
   * catalog rather than once per call (4 KB arguments or not, that was a fixed cost per call).
   */
  private final Cache<JsonNode, Compiled> byNode = Caffeine.newBuilder().weakKeys().maximumSize(4096).build();

  /** A compiled schema, or why it could not be compiled. */
  private record Compiled(Schema schema, String failure) {}

  /** What validation found: nothing, violations, or a schema the gateway cannot use. */
  sealed interface Result {
    /** The arguments conform. */
    record Valid() implements Result {}

    /** The arguments break the schema; each entry is {@code <path>: <message>}. */
    record Invalid(List<String> violations, int total) implements Result {}

    /** The tool's own schema is unusable (broken, or refers to other documents). */
    record BadSchema(String reason) implements Result {}
  }

  static final Result VALID = new Result.Valid();

  Result validate(JsonNode inputSchema, JsonNode arguments) {
    if (!(inputSchema instanceof ObjectNode)) {
      return new Result.BadSchema("the tool lists no inputSchema object");
    }
    Compiled c = byNode.get(inputSchema, node -> cache.get(JSON.writeValueAsString(node), k -> compile(node)));
    if (c.schema() == null) {
      return new Result.BadSchema(c.failure());
    }
    List<Error> errors;
    try {
      errors = c.schema().validate(arguments);
    } catch (RuntimeException e) {
      return new Result.BadSchema("the tool's inputSchema cannot be evaluated: " + brief(e));
    }
    if (errors.isEmpty()) {
      return VALID;
    }
    List<String> out = new ArrayList<>();
    for (Error e : errors) {
      if (out.size() == MAX_REPORTED) {
        break;
      }
      out.add(describe(e));
    }
    return new Result.Invalid(out, errors.size());
  }

  private Compiled compile(JsonNode inputSchema) {
    try {
      Schema s = registry.getSchema(inputSchema);
      s.initializeValidators(); // resolve every $ref now, so a remote one fails here and is cached as such
      return new Compiled(s, null);
    } catch (RuntimeException e) {
      return new Compiled(null, "the tool's inputSchema cannot be used: " + brief(e));
    }
  }

  /** {@code $.path: message}, the message without the location the validator puts in front. */
  private static String describe(Error e) {
    String path = e.getInstanceLocation() == null ? "$" : e.getInstanceLocation().toString();
    String msg = e.getMessage();
    if (msg != null && msg.startsWith(path + ": ")) {
      msg = msg.substring(path.length() + 2);
    }
    return path + ": " + msg;
  }

  private static String brief(RuntimeException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.length() > 200 ? m.substring(0, 200) + "..." : m;
  }
}
