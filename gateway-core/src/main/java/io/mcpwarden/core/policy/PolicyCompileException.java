package io.mcpwarden.core.policy;

import java.util.List;

/**
 * Rules that do not compile, each with where it is and what is wrong.
 *
 * <p>Thrown at configuration load (and on a reload, which then keeps the old policy), never while
 * serving: a policy in force has always compiled.
 */
public final class PolicyCompileException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * One problem.
   *
   * @param rule index of the rule in its list, or -1 for a problem outside the rules
   * @param field the rule's field at fault ({@code when}, {@code name}, ...)
   * @param line 1-based line inside the expression (0 when not about a position)
   * @param column 1-based column inside the expression (0 when not about a position)
   * @param message what is wrong
   */
  public record Problem(int rule, String field, int line, int column, String message) {
    /** The message with its position, e.g. {@code line 1, column 22: undeclared reference to 'x'}. */
    public String describe() {
      return line > 0 ? "line " + line + ", column " + column + ": " + message : message;
    }
  }

  private final transient List<Problem> problems;

  public PolicyCompileException(List<Problem> problems) {
    super(problems.isEmpty() ? "invalid policy" : problems.getFirst().describe());
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
