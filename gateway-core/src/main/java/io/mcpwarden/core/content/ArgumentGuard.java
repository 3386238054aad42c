package io.mcpwarden.core.content;

import io.mcpwarden.core.audit.AuditEvent;
import io.mcpwarden.core.audit.AuditLog;
import io.mcpwarden.core.config.ContentConfig;
import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.detect.SensitiveMatch;
import io.mcpwarden.core.guard.Exchange;
import io.mcpwarden.core.guard.Guard;
import io.mcpwarden.core.guard.Outcome;
import io.mcpwarden.core.message.JsonRpc;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks the arguments of a {@code tools/call} before it goes upstream: against the tool's input
 * schema, against the optional path, URL and shell rules of the server and tool, and for secrets.
 *
 * <p>A refusal is a tool execution error ({@code isError: true} with a message naming the argument
 * and what is allowed), not a protocol error, so the model can correct the call and try again
 * (SEP-1303); the upstream never sees the call. Every refusal is audited as {@code content.argument}.
 */
public final class ArgumentGuard implements Guard {
  /** A call's tool: its server, the server's own tool name, and the definition the server listed. */
  public record Tool(String server, String tool, ObjectNode definition) {}

  private final ContentConfig config;
  private final Map<String, ServerConfig> servers = new LinkedHashMap<>();
  private final Function<Exchange, Tool> resolver;
  private final TextScreen screen;
  private final AuditLog audit;
  private final Clock clock;
  private final ArgumentSchemas schemas = new ArgumentSchemas();

  /**
   * @param resolver finds the tool a call names (null when it names none the session lists: the
   *     router then answers the error itself)
   * @param screen the secret scanners for arguments
   */
  public ArgumentGuard(ContentConfig config, List<ServerConfig> servers, Function<Exchange, Tool> resolver,
      TextScreen screen, AuditLog audit, Clock clock) {
    this.config = config;
    for (ServerConfig s : servers) {
      this.servers.put(s.name(), s);
    }
    this.resolver = resolver;
    this.screen = screen;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public Outcome intercept(Exchange ex, Chain next) {
    if (!"tools/call".equals(ex.request().method())) {
      return next.proceed(ex);
    }
    Tool tool = resolver.apply(ex);
    ServerConfig sc = tool == null ? null : servers.get(tool.server());
    if (sc == null) {
      return next.proceed(ex);
    }
    ContentConfig.Settings s = config.effective(sc.content(), tool.tool());
    ObjectNode params = ex.request().params();
    JsonNode args = params == null || params.get("arguments") == null ? JsonRpc.NODES.objectNode() : params.get("arguments");
    String exposed = ex.request().param("name");

    if (s.validateArguments()) {
      ArgumentSchemas.Result r = schemas.validate(tool.definition() == null ? null : tool.definition().get("inputSchema"), args);
      switch (r) {
        case ArgumentSchemas.Result.Invalid inv -> {
          String more = inv.total() > inv.violations().size() ? " (and " + (inv.total() - inv.violations().size()) + " more)" : "";
          return refuse(ex, tool, "schema", "Invalid arguments for tool " + exposed + ": " + String.join("; ", inv.violations())
              + more + ". Correct the arguments to match the tool's inputSchema and call it again.",
              "schema: " + String.join("; ", inv.violations()));
        }
        case ArgumentSchemas.Result.BadSchema bad -> {
          return refuse(ex, tool, "schema", "Tool " + exposed + " cannot be called through this gateway: " + bad.reason()
              + ". This is a fault of the tool's server, not of the arguments.", "bad schema: " + bad.reason());
        }
        case ArgumentSchemas.Result.Valid v -> { }
      }
    }
    if (s.paths() != null) {
      String p = ArgumentRules.checkPaths(s.paths(), args, sc.transport() == ServerConfig.Transport.STDIO);
      if (p != null) {
        return refuse(ex, tool, "path", "Refused call of tool " + exposed + ": " + p + ".", "path: " + p);
      }
    }
    if (s.urls() != null) {
      String u = ArgumentRules.checkUrls(s.urls(), args);
      if (u != null) {
        return refuse(ex, tool, "url", "Refused call of tool " + exposed + ": " + u + ".", "url: " + u);
      }
    }
    if (s.executesCommands()) {
      String sh = ArgumentRules.checkShell(args);
      if (sh != null) {
        if (s.shell() == ContentConfig.ShellAction.BLOCK) {
          return refuse(ex, tool, "shell", "Refused call of tool " + exposed + ": " + sh + ".", "shell: " + sh);
        }
        audit(ex, tool, "allow", "shell (audit only): " + sh);
      }
    }
    if (s.secretsInArguments() == ContentConfig.ArgumentSecretAction.BLOCK) {
      Set<String> types = new LinkedHashSet<>();
      String[] where = new String[1];
      ArgumentRules.collect(args, null, true, (name, value) -> {
        for (SensitiveMatch m : screen.secrets(value)) {
          types.add(m.type());
          if (where[0] == null) {
            where[0] = name;
          }
        }
      });
      if (!types.isEmpty()) {
        String list = String.join(", ", types);
        return refuse(ex, tool, "secret", "Refused call of tool " + exposed + ": argument '" + where[0] + "' contains a secret ("
            + list + "). Secrets are not sent to this tool; remove the secret from the arguments.", "secret in arguments: " + list);
      }
    }
    return next.proceed(ex);
  }

  private Outcome refuse(Exchange ex, Tool tool, String rule, String message, String detail) {
    ex.routedTo(tool.server(), tool.tool());
    audit(ex, tool, "deny", detail);
    ObjectNode result = JsonRpc.NODES.objectNode();
    result.putArray("content").addObject().put("type", "text").put("text", message);
    result.put("isError", true);
    ObjectNode verdict = result.putObject("_meta").putObject(ResultGuard.META_KEY);
    verdict.put("refused", rule);
    return new Outcome.Respond(JsonRpc.result(ex.request().id(), result));
  }

  private void audit(Exchange ex, Tool tool, String decision, String rawDetail) {
    // A refused value (a URL with a token in its query, say) must not carry a secret into the log.
    String detail = screen.redact(rawDetail, ContentConfig.Settings.BUILT_IN).text();
    audit.append(new AuditEvent(clock.instant(), "content.argument", ex.subject(), ex.session().id(), "tools/call",
        tool.server(), tool.tool(), decision, 200, 0, (System.nanoTime() - ex.startNanos()) / 1000, detail));
  }
}
