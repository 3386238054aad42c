package io.mcpwarden.core.config;

import java.util.List;
import java.util.Map;

/**
 * Content guards on both directions of a call: argument validation and rules, secrets in
 * arguments, injection detection, secret and PII redaction and spotlighting of results (issue 6).
 *
 * <p>Settings are layered: the top-level {@link #defaults}, then the defaults of a server's trust
 * level ({@link Trust#UNTRUSTED} turns spotlighting and injection blocking on), then the server's
 * own {@code content} section, then its per-tool entries. A field left null inherits from the layer
 * below, so each layer says only what it changes.
 *
 * @param defaults the top-level {@code content:} settings, complete (no nulls)
 */
public record ContentConfig(Settings defaults) {

  /** The defaults: what a configuration without the section gets. */
  public static final ContentConfig DEFAULT = new ContentConfig(Settings.BUILT_IN);

  public ContentConfig {
    defaults = defaults == null ? Settings.BUILT_IN : defaults.over(Settings.BUILT_IN);
  }

  /** What to do with a result in which the injection detector found instructions for the model. */
  public enum InjectionAction {
    /** Replace the whole result with a tool error saying why. */
    BLOCK,
    /** Remove the offending lines, keep the rest. */
    REDACT,
    /** Pass it, with the verdict and a warning in {@code _meta}. */
    MARK,
    /** Do not inspect. */
    OFF
  }

  /** What to do with a secret found in the arguments of a call. */
  public enum ArgumentSecretAction {
    BLOCK,
    ALLOW
  }

  /** What to do with a secret found in a result. */
  public enum ResultSecretAction {
    REDACT,
    ALLOW
  }

  /** What to do with personal data found in a result. */
  public enum PiiAction {
    /** Replace with a typed placeholder such as {@code [REDACTED:email]}. */
    REDACT,
    /** Keep a recognisable tail (the e-mail domain, the last four digits), star the rest. */
    MASK,
    ALLOW
  }

  /** What to do with shell metacharacters in the arguments of a tool labelled as executing commands. */
  public enum ShellAction {
    BLOCK,
    /** Let the call through and record it in the audit log. */
    AUDIT
  }

  /** How far the gateway trusts what a server returns. */
  public enum Trust {
    TRUSTED,
    UNTRUSTED
  }

  /**
   * Path arguments confined to allowed roots.
   *
   * @param arguments names of the arguments holding paths; empty: the usual names (path, file, dir, ...)
   * @param roots absolute directories the paths must stay under
   */
  public record PathRule(List<String> arguments, List<String> roots) {
    public PathRule {
      arguments = List.copyOf(arguments);
      roots = List.copyOf(roots);
    }
  }

  /**
   * URL arguments checked against an allow-list and against internal addresses (SSRF).
   *
   * @param arguments names of the arguments holding URLs; empty: every string argument that is an
   *     absolute URL
   * @param allow allowed origins, {@code scheme://host[:port]} with an optional leading {@code *.}
   *     on the host; empty: any public host over http or https
   * @param allowPrivate whether loopback, private, link-local and metadata addresses may be named
   */
  public record UrlRule(List<String> arguments, List<String> allow, boolean allowPrivate) {
    public UrlRule {
      arguments = List.copyOf(arguments);
      allow = List.copyOf(allow);
    }
  }

  /**
   * One layer of settings; null fields inherit from the layer below.
   *
   * @param validateArguments check {@code tools/call} arguments against the tool's input schema
   * @param injection action on results flagged by the injection detector
   * @param secretsInArguments action on calls whose arguments hold a secret
   * @param secretsInResults action on secrets in results
   * @param pii action on personal data in results, for types without their own entry
   * @param piiTypes action per PII type (as the scanner names them, e.g. {@code email})
   * @param spotlight wrap results in boundaries with the session's marker
   * @param datamark also replace whitespace inside those boundaries with a marker character
   * @param paths path argument confinement, or null for none
   * @param urls URL argument checks, or null for none
   * @param executesCommands the tool runs commands, so its arguments are checked for shell metacharacters
   * @param shell action on shell metacharacters
   */
  public record Settings(
      Boolean validateArguments,
      InjectionAction injection,
      ArgumentSecretAction secretsInArguments,
      ResultSecretAction secretsInResults,
      PiiAction pii,
      Map<String, PiiAction> piiTypes,
      Boolean spotlight,
      Boolean datamark,
      PathRule paths,
      UrlRule urls,
      Boolean executesCommands,
      ShellAction shell) {

    /** The built-in bottom layer: everything set. */
    public static final Settings BUILT_IN = new Settings(true, InjectionAction.MARK, ArgumentSecretAction.BLOCK,
        ResultSecretAction.REDACT, PiiAction.ALLOW, Map.of(), false, false, null, null, false, ShellAction.BLOCK);

    /** A layer that changes nothing. */
    public static final Settings INHERIT = new Settings(null, null, null, null, null, null, null, null, null, null, null, null);

    /** What {@code trust: untrusted} changes: results spotlighted and flagged ones blocked. */
    public static final Settings UNTRUSTED = new Settings(null, InjectionAction.BLOCK, null, null, null, null, true, null,
        null, null, null, null);

    public Settings {
      piiTypes = piiTypes == null ? null : Map.copyOf(piiTypes);
    }

    /** This layer on top of {@code base}: each field set here wins; PII types merge. */
    public Settings over(Settings base) {
      Map<String, PiiAction> types = base.piiTypes;
      if (piiTypes != null) {
        types = new java.util.HashMap<>(base.piiTypes == null ? Map.of() : base.piiTypes);
        types.putAll(piiTypes);
      }
      return new Settings(
          validateArguments != null ? validateArguments : base.validateArguments,
          injection != null ? injection : base.injection,
          secretsInArguments != null ? secretsInArguments : base.secretsInArguments,
          secretsInResults != null ? secretsInResults : base.secretsInResults,
          pii != null ? pii : base.pii,
          types,
          spotlight != null ? spotlight : base.spotlight,
          datamark != null ? datamark : base.datamark,
          paths != null ? paths : base.paths,
          urls != null ? urls : base.urls,
          executesCommands != null ? executesCommands : base.executesCommands,
          shell != null ? shell : base.shell);
    }

    /** The action for one PII type. */
    public PiiAction piiFor(String type) {
      PiiAction a = piiTypes == null ? null : piiTypes.get(type);
      return a != null ? a : pii;
    }
  }

  /**
   * Settings of one upstream server.
   *
   * @param trust how far its results are trusted ({@code servers.<name>.trust})
   * @param settings its {@code content} section (server-wide layer)
   * @param tools per-tool layers, keyed by the server's own tool name
   * @param elicitationUrlHosts the hosts a URL-mode elicitation of this server may send the user
   *     to ({@code content.elicitation-url-hosts}: exact names, or {@code *.suffix} for any name
   *     under one); empty: any host that passes the built-in link checks
   */
  public record Server(Trust trust, Settings settings, Map<String, Settings> tools, List<String> elicitationUrlHosts) {
    public static final Server DEFAULT = new Server(Trust.TRUSTED, Settings.INHERIT, Map.of());

    public Server {
      trust = trust == null ? Trust.TRUSTED : trust;
      settings = settings == null ? Settings.INHERIT : settings;
      tools = tools == null ? Map.of() : Map.copyOf(tools);
      elicitationUrlHosts = elicitationUrlHosts == null ? List.of() : List.copyOf(elicitationUrlHosts);
    }

    /** A server whose URL elicitations may name any host that passes the built-in checks. */
    public Server(Trust trust, Settings settings, Map<String, Settings> tools) {
      this(trust, settings, tools, List.of());
    }
  }

  /** The complete settings for one server and tool ({@code tool} null: server-wide, e.g. resources). */
  public Settings effective(Server server, String tool) {
    Settings s = server.trust() == Trust.UNTRUSTED ? Settings.UNTRUSTED.over(defaults) : defaults;
    s = server.settings().over(s);
    Settings t = tool == null ? null : server.tools().get(tool);
    return t == null ? s : t.over(s);
  }
}
