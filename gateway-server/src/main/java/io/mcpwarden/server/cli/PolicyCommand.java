package io.mcpwarden.server.cli;

import io.mcpwarden.core.policy.Decision;
import io.mcpwarden.core.policy.Policy;
import io.mcpwarden.core.policy.PolicyCompileException;
import io.mcpwarden.server.config.ConfigError;
import io.mcpwarden.server.config.ConfigException;
import io.mcpwarden.server.config.ConfigLoader;
import io.mcpwarden.server.config.PolicyTestReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code mcp-warden policy}: access policy tools.
 *
 * <p>{@code test} runs a file of cases (who asks for what, and the expected effect) against a
 * policy, so rule changes are checked in CI before they reach a gateway: exit 0 when every case
 * passes, 1 when one fails, 2 when the file or a rule is invalid.
 */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Access policy tools.", subcommands = PolicyCommand.Test.class)
final class PolicyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code mcp-warden policy test FILE}. */
  @Command(name = "test", mixinStandardHelpOptions = true,
      description = "Run policy test cases; exit 1 if one fails, 2 if the file or a rule is invalid.")
  static final class Test implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "Test file (see docs/policy.md).")
    Path file;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      PolicyTestReader.Suite suite;
      Policy policy;
      try {
        suite = PolicyTestReader.read(file, ConfigLoader.fromEnvironment());
        policy = Policy.compile(suite.policy(), suite.labels());
      } catch (ConfigException e) {
        err.println(file + ": " + e.errors().size() + " error(s)");
        for (ConfigError ce : e.errors()) {
          err.println("  " + ce);
        }
        return 2;
      } catch (PolicyCompileException e) {
        err.println(file + ": invalid rules");
        for (PolicyCompileException.Problem p : e.problems()) {
          err.println("  rules[" + p.rule() + "]." + p.field() + ": " + p.describe());
        }
        return 2;
      }
      int failed = 0;
      for (PolicyTestReader.Case c : suite.cases()) {
        Decision d = policy.decide(c.request());
        String problem = mismatch(c, d);
        String got = d.effect().id() + " (" + (d.rule() == null ? "default" : "rule " + d.rule()) + ": " + d.reason() + ")";
        if (problem == null) {
          out.println("PASS  " + c.name() + " -> " + got);
        } else {
          failed++;
          out.println("FAIL  " + c.name() + ": " + problem + "; got " + got);
        }
      }
      out.println(suite.cases().size() - failed + " passed, " + failed + " failed");
      out.flush();
      return failed == 0 ? 0 : 1;
    }

    private static String mismatch(PolicyTestReader.Case c, Decision d) {
      if (d.effect() != c.expect()) {
        return "expected " + c.expect().id();
      }
      if (c.reason() != null && !d.reason().contains(c.reason())) {
        return "expected a reason containing '" + c.reason() + "'";
      }
      if (c.rule() != null && !c.rule().equals(d.rule() == null ? "default" : d.rule())) {
        return "expected rule " + c.rule();
      }
      return null; // a denial by an evaluation error counts as a denial: fail closed is the contract
    }
  }
}
