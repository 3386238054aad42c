package io.mcpwarden.core.policy;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.optimizer.CelOptimizationException;
import dev.cel.optimizer.CelOptimizer;
import dev.cel.optimizer.CelOptimizerFactory;
import dev.cel.optimizer.optimizers.ConstantFoldingOptimizer;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelAttributePattern;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelUnknownSet;
import dev.cel.runtime.CelVariableResolver;
import dev.cel.runtime.PartialVars;
import io.mcpwarden.core.config.PolicyConfig;
import io.mcpwarden.core.config.PolicyConfig.Effect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A compiled access policy: rules in CEL, evaluated in order, the first that matches decides;
 * when none matches, the default effect applies.
 *
 * <p>One decision function, {@link #decide}, answers both a call (arguments known) and a list
 * entry (arguments unknown), so nobody is shown what they cannot call. With unknown arguments a
 * rule that depends on them cannot be decided: an allow rule that might match makes the entry
 * visible, a deny rule that might match is passed over, so a tool is hidden only when every
 * possible call would be denied. Immutable and thread-safe; a reload builds a new one.
 *
 * <p>Rules are compiled together into a few chained programs ({@code r0 ? 0 : r1 ? 1 : ... : -1}),
 * so one evaluation binds the variables once for up to {@value #CHUNK} rules; a rule is only
 * evaluated alone when the chain cannot answer (an error to attribute, or unknown arguments).
 */
public final class Policy {
  /** Rules per chained program: bounds parser recursion for long rule lists. */
  static final int CHUNK = 32;
  /**
   * CEL's compiler and runtime, built on first use: a gateway without a policy section never
   * pays their start-up cost (class loading and set-up take a noticeable part of a second).
   */
  private static final class Engine {
    static final CelType MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);
    static final CelAttributePattern ARGUMENTS = CelAttributePattern.create("arguments");
    static final Cel CEL = environment();
    /** Folds constants such as {@code duration('1h')} once at compile time instead of per evaluation. */
    static final CelOptimizer OPTIMIZER =
        CelOptimizerFactory.standardCelOptimizerBuilder(CEL).addAstOptimizers(ConstantFoldingOptimizer.getInstance()).build();

    private Engine() {}
  }

  /** A rule and its program; {@code usesArguments}: whether it reads {@code arguments} at all. */
  private record Compiled(PolicyConfig.Rule rule, CelRuntime.Program program, boolean usesArguments) {}

  /** Up to {@value #CHUNK} rules as one program; {@code usesArguments}: whether one of them reads {@code arguments}. */
  private record Chain(int first, CelRuntime.Program program, boolean usesArguments) {}

  private final PolicyVariables variables;
  private final PolicyConfig.Rules rules;
  private final List<Compiled> compiled;
  private final List<Chain> chains;
  private final boolean enforcing;

  private Policy(PolicyVariables variables, PolicyConfig.Rules rules, List<Compiled> compiled, List<Chain> chains, boolean enforcing) {
    this.variables = variables;
    this.rules = rules;
    this.compiled = compiled;
    this.chains = chains;
    this.enforcing = enforcing;
  }

  private static Cel environment() {
    CelOptions options = CelOptions.current()
        .enableUnknownTracking(true)
        .enableHeterogeneousNumericComparisons(true) // required by the planner runtime; also lets 1 == 1.0
        .maxParseRecursionDepth(CHUNK * 8 + 250)
        .comprehensionMaxIterations(100_000) // bounds a rule looping over large arguments
        .build();
    return CelFactory.plannerCelBuilder()
        .setOptions(options)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addCompilerLibraries(CelExtensions.strings())
        .addRuntimeLibraries(CelExtensions.strings())
        .addVar("principal", Engine.MAP)
        .addVar("server", Engine.MAP)
        .addVar("tool", Engine.MAP)
        .addVar("prompt", Engine.MAP)
        .addVar("resource", Engine.MAP)
        .addVar("session", Engine.MAP)
        .addVar("arguments", Engine.MAP)
        .addVar("kind", SimpleType.STRING)
        .addVar("time", SimpleType.TIMESTAMP)
        .addVar("risk", SimpleType.DOUBLE)
        .build();
  }

  /**
   * Compiles a configuration's rules against its server labels.
   *
   * @param servers each server's classification labels, by server name
   * @throws PolicyCompileException listing every rule that does not compile, with positions
   */
  public static Policy compile(PolicyConfig config, Map<String, PolicyConfig.Server> servers) throws PolicyCompileException {
    List<PolicyCompileException.Problem> problems = new ArrayList<>();
    List<Compiled> compiled = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<PolicyConfig.Rule> list = config.rules().rules();
    for (int i = 0; i < list.size(); i++) {
      PolicyConfig.Rule rule = list.get(i);
      if (names.contains(rule.name())) {
        problems.add(new PolicyCompileException.Problem(i, "name", 0, 0, "duplicate rule name '" + rule.name() + "'"));
      }
      names.add(rule.name());
      CelAbstractSyntaxTree ast = check(i, rule.when(), SimpleType.BOOL, problems);
      if (ast != null) {
        compiled.add(new Compiled(rule, program(ast), usesArguments(ast)));
      }
    }
    if (!problems.isEmpty()) {
      throw new PolicyCompileException(problems);
    }
    List<Chain> chains = new ArrayList<>();
    for (int first = 0; first < compiled.size(); first += CHUNK) {
      StringBuilder src = new StringBuilder();
      int end = Math.min(compiled.size(), first + CHUNK);
      for (int i = first; i < end; i++) {
        src.append('(').append(compiled.get(i).rule().when()).append(") ? ").append(i).append(" : ");
      }
      src.append("-1");
      CelValidationResult r = Engine.CEL.compile(src.toString());
      try {
        boolean usesArguments = compiled.subList(first, end).stream().anyMatch(Compiled::usesArguments);
        chains.add(new Chain(first, program(r.getAst()), usesArguments));
      } catch (CelValidationException e) {
        // Every rule compiled alone, so this is a limit of the chain, not of a rule.
        throw new PolicyCompileException(List.of(new PolicyCompileException.Problem(first, "when", 0, 0,
            "rules " + first + ".." + (end - 1) + " cannot be combined: " + e.getMessage())));
      }
    }
    return new Policy(new PolicyVariables(config, servers), config.rules(), List.copyOf(compiled), List.copyOf(chains), config.enabled());
  }

  /** The policy of a configuration without a policy section: allows everything, evaluates nothing. */
  public static Policy allowAll(PolicyConfig config) {
    // No variables: decide() answers before binding any, and CEL is never loaded.
    return new Policy(null, new PolicyConfig.Rules(Effect.ALLOW, List.of()), List.of(), List.of(), false);
  }

  /** Whether this policy can deny anything (false: no policy section, nothing is evaluated). */
  public boolean enforcing() {
    return enforcing;
  }

  public PolicyConfig.Rules rules() {
    return rules;
  }

  private static boolean usesArguments(CelAbstractSyntaxTree ast) {
    return CelNavigableAst.fromAst(ast).getRoot().allNodes().anyMatch(n ->
        n.getKind() == CelExpr.ExprKind.Kind.IDENT && n.expr().ident().name().equals("arguments"));
  }

  private static CelRuntime.Program program(CelAbstractSyntaxTree ast) {
    CelAbstractSyntaxTree optimized;
    try {
      optimized = Engine.OPTIMIZER.optimize(ast);
    } catch (CelOptimizationException e) {
      optimized = ast; // folding is an optimisation only: the checked expression is still right
    }
    try {
      return Engine.CEL.createProgram(optimized);
    } catch (dev.cel.common.CelException e) {
      throw new IllegalStateException("a checked CEL expression did not plan: " + e.getMessage(), e);
    }
  }

  /** Parses and type-checks one expression; records problems with 1-based positions. */
  private static CelAbstractSyntaxTree check(int index, String source, CelType type, List<PolicyCompileException.Problem> problems) {
    if (source == null || source.isBlank()) {
      problems.add(new PolicyCompileException.Problem(index, "when", 0, 0, "missing CEL expression"));
      return null;
    }
    CelValidationResult r = Engine.CEL.compile(source);
    if (r.hasError()) {
      for (CelIssue issue : r.getErrors()) {
        CelSourceLocation at = issue.getSourceLocation();
        int line = at == CelSourceLocation.NONE ? 0 : at.getLine();
        problems.add(new PolicyCompileException.Problem(index, "when", line, line == 0 ? 0 : at.getColumn() + 1, issue.getMessage()));
      }
      return null;
    }
    CelAbstractSyntaxTree ast;
    try {
      ast = r.getAst();
    } catch (CelValidationException e) {
      problems.add(new PolicyCompileException.Problem(index, "when", 0, 0, e.getMessage()));
      return null;
    }
    if (!ast.getResultType().equals(type) && !ast.getResultType().equals(SimpleType.DYN)) {
      problems.add(new PolicyCompileException.Problem(index, "when", 1, 1,
          "must be a bool expression, is " + ast.getResultType().name()));
      return null;
    }
    int before = problems.size();
    unknownFields(index, ast, problems);
    return problems.size() == before ? ast : null;
  }

  /**
   * Reports {@code principal.subjet}-style typos: the variables are maps to CEL, so the checker
   * accepts any key, and a typo would only surface as an evaluation error (a denial) at run time.
   */
  private static void unknownFields(int index, CelAbstractSyntaxTree ast, List<PolicyCompileException.Problem> problems) {
    CelNavigableAst.fromAst(ast).getRoot().allNodes().forEach((CelNavigableExpr node) -> {
      if (node.getKind() != CelExpr.ExprKind.Kind.SELECT) {
        return;
      }
      CelExpr.CelSelect select = node.expr().select();
      if (select.operand().getKind() != CelExpr.ExprKind.Kind.IDENT) {
        return;
      }
      Set<String> fields = PolicyVariables.FIELDS.get(select.operand().ident().name());
      if (fields != null && !fields.contains(select.field())) {
        Integer offset = ast.getSource().getPositionsMap().get(node.id());
        Optional<CelSourceLocation> at = offset == null ? Optional.empty() : ast.getSource().getOffsetLocation(offset);
        problems.add(new PolicyCompileException.Problem(index, "when", at.map(CelSourceLocation::getLine).orElse(0),
            at.map(l -> l.getColumn() + 1).orElse(0),
            "unknown field '" + select.field() + "' of " + select.operand().ident().name() + " (known: "
                + String.join(", ", new java.util.TreeSet<>(fields)) + ")"));
      }
    });
  }

  /**
   * The decision for one request. With {@code arguments == null} (a list entry), see the class
   * comment for how rules that depend on arguments are treated. Never throws: an evaluation
   * error denies (fail closed) and says where it happened.
   */
  public Decision decide(PolicyRequest request) {
    if (!enforcing) {
      return Decision.byDefault(Effect.ALLOW);
    }
    Map<String, Object> vars = variables.bind(request);
    boolean partial = request.arguments() == null;
    if (!partial) {
      vars.put("arguments", PolicyVariables.json(request.arguments()));
    }
    // A resolver, not the map itself: CEL copies a map given as activation on every evaluation.
    CelVariableResolver resolver = name -> Optional.ofNullable(vars.get(name));
    for (Chain chain : chains) {
      Object result = null;
      // With the arguments unknown, a chain that reads them cannot answer as a whole: its rules
      // are decided one at a time, those reading arguments by partial evaluation.
      if (!partial || !chain.usesArguments()) {
        try {
          result = chain.program().eval(resolver);
        } catch (CelEvaluationException | RuntimeException e) {
          result = null; // attributed to its rule below
        }
      }
      if (result instanceof Long index) {
        if (index >= 0) {
          return Decision.byRule(compiled.get(index.intValue()).rule());
        }
        continue;
      }
      Decision d = oneByOne(chain.first(), resolver, partial);
      if (d != null) {
        return d;
      }
    }
    return Decision.byDefault(rules.defaultEffect());
  }

  private Decision oneByOne(int first, CelVariableResolver resolver, boolean partial) {
    int end = Math.min(compiled.size(), first + CHUNK);
    for (int i = first; i < end; i++) {
      Compiled c = compiled.get(i);
      Object result;
      try {
        // Partial evaluation (arguments as unknowns) only where a rule reads them: it costs more.
        result = partial && c.usesArguments() ? c.program().eval(PartialVars.of(resolver, Engine.ARGUMENTS)) : c.program().eval(resolver);
      } catch (CelEvaluationException | RuntimeException e) {
        return Decision.failed(c.rule().name(), describe(e));
      }
      if (Boolean.TRUE.equals(result)) {
        return Decision.byRule(c.rule());
      }
      if (result instanceof CelUnknownSet && c.rule().effect() == Effect.ALLOW) {
        // Some arguments would make this rule allow the call: the entry must stay visible.
        return new Decision(Effect.ALLOW, c.rule().name(), "may be allowed by rule " + c.rule().name() + " depending on arguments", false);
      }
      if (!(result instanceof Boolean) && !(result instanceof CelUnknownSet)) {
        return Decision.failed(c.rule().name(), "result is not a bool: " + result);
      }
    }
    return null;
  }

  private static String describe(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replace("evaluation error at <input>:", "evaluation error at offset ");
  }
}
