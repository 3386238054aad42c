package io.mcpwarden.core.policy;

import io.mcpwarden.core.auth.Principal;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One question to the policy: may this principal use this tool, prompt or resource, with these
 * arguments, now?
 *
 * <p>The same request shape serves a call and a list entry, so both go through one decision
 * function; a list entry simply has no arguments yet ({@code arguments == null}).
 *
 * @param principal who asks ({@link Principal#ANONYMOUS} when authentication is off)
 * @param target what is addressed
 * @param arguments the call's arguments (an object; empty when the call has none), or null when
 *     they are not known yet (list filtering)
 * @param sessionId the front session's id (only a hash of it reaches rules), or null
 * @param sessionStart when the session began, or null
 * @param time the time of the decision
 * @param risk an anomaly score in [0,1] from a future detector; 0 for now
 */
public record PolicyRequest(
    Principal principal, Target target, JsonNode arguments, String sessionId, Instant sessionStart, Instant time, double risk) {

  public PolicyRequest {
    principal = principal == null ? Principal.ANONYMOUS : principal;
  }

  /** The same request with the arguments unknown, as list filtering asks it. */
  public PolicyRequest withoutArguments() {
    return new PolicyRequest(principal, target, null, sessionId, sessionStart, time, risk);
  }

  /** What a rule can address. */
  public enum Kind {
    TOOL,
    PROMPT,
    RESOURCE;

    /** The name rules see in {@code kind}. */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A tool, prompt or resource of one upstream server.
   *
   * @param kind tool, prompt or resource
   * @param server the upstream server's configured name
   * @param name the server's own name of the tool or prompt, or the resource's URI (or URI
   *     template for a template list entry)
   * @param item the entry as the server listed it (title, description, annotations), or null
   *     when unknown
   */
  public record Target(Kind kind, String server, String name, ObjectNode item) {}
}
