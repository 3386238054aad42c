package io.mcpwarden.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PolicyCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  private static final String CONFIG = """
      servers:
        files:
          command: [node, files.js]
          classification: confidential
          tools:
            delete_file: {classification: restricted}
      policy:
        default: deny
        rules:
          - name: contractors-no-restricted
            effect: deny
            when: "'contractors' in principal.groups && tool.classification == 'restricted'"
            reason: contractors cannot use restricted tools
          - name: no-etc
            effect: deny
            when: "has(arguments.path) && arguments.path.startsWith('/etc/')"
            reason: nothing under /etc
          - name: staff
            effect: allow
            when: "principal.authenticated"
      """;

  private static final String CASES = """
      config: gateway.yaml
      cases:
        - name: contractor cannot delete
          principal: {subject: bob, groups: [contractors]}
          server: files
          tool: delete_file
          arguments: {path: /tmp/x}
          expect: deny
          reason: contractors cannot
          rule: contractors-no-restricted
        - name: employee can delete
          principal: {subject: alice, groups: [eng]}
          server: files
          tool: delete_file
          arguments: {path: /tmp/x}
          expect: allow
          rule: staff
        - name: nobody reads /etc
          principal: {subject: alice}
          server: files
          tool: read_file
          arguments: {path: /etc/passwd}
          expect: deny
        - name: read_file stays listed for contractors
          principal: {subject: bob, groups: [contractors]}
          server: files
          tool: read_file
          list: true
          expect: allow
        - name: anonymous gets the default
          server: files
          tool: read_file
          expect: deny
          rule: default
      """;

  @Test
  void passingCasesExitZeroAndPrintEachCase() throws IOException {
    write("gateway.yaml", CONFIG);
    Path cases = write("cases.yaml", CASES);
    assertThat(run("policy", "test", cases.toString())).as(out + "\n" + err).isZero();
    assertThat(out.toString()).contains("PASS  contractor cannot delete -> deny (rule contractors-no-restricted: contractors cannot use restricted tools)")
        .contains("PASS  anonymous gets the default -> deny (default:")
        .contains("5 passed, 0 failed");
  }

  @Test
  void aFailingCaseExitsOneAndSaysWhy() throws IOException {
    write("gateway.yaml", CONFIG);
    Path cases = write("cases.yaml", CASES.replace("arguments: {path: /etc/passwd}\n    expect: deny", "arguments: {path: /etc/passwd}\n    expect: allow"));
    assertThat(run("policy", "test", cases.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("FAIL  nobody reads /etc: expected allow; got deny (rule no-etc: nothing under /etc)")
        .contains("4 passed, 1 failed");
  }

  @Test
  void anInvalidRuleExitsTwoWithItsPosition() throws IOException {
    write("gateway.yaml", CONFIG.replace("principal.authenticated", "principal.authenticated &&"));
    Path cases = write("cases.yaml", CASES);
    assertThat(run("policy", "test", cases.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("policy.rules[2].when: line 1, column 27");
  }

  @Test
  void anEvaluationErrorDeniesAndAFileOfRulesAloneCanBeTested() throws IOException {
    write("rules.yaml", """
        default: allow
        rules:
          - {name: dept, effect: deny, when: "principal.claims.dept != 'eng'", reason: eng only}
        """);
    Path cases = write("cases.yaml", """
        policy: rules.yaml
        cases:
          - {name: no dept claim fails closed, principal: {subject: bob}, server: s, tool: t, expect: deny, reason: fail closed}
          - {name: eng passes, principal: {subject: al, claims: {dept: eng}}, server: s, tool: t, expect: allow}
        """);
    assertThat(run("policy", "test", cases.toString())).as(out.toString()).isZero();
  }

  @Test
  void aBrokenTestFileExitsTwo() throws IOException {
    Path cases = write("cases.yaml", "policy: missing.yaml\ncases: []\n");
    assertThat(run("policy", "test", cases.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("error");
  }

  @Test
  void theBundledPolicyExamplePassesItsTests() {
    Path cases = Path.of("../examples/policy/demo-policy-tests.yaml");
    if (!Files.exists(cases)) {
      return;
    }
    assertThat(run("policy", "test", cases.toString())).as(out + "\n" + err).isZero();
    assertThat(out.toString()).contains("7 passed, 0 failed");
  }
}
