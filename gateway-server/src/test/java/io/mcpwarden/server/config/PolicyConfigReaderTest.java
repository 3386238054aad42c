package io.mcpwarden.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.PolicyConfig;
import io.mcpwarden.core.config.PolicyConfig.Effect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyConfigReaderTest {
  @TempDir Path dir;

  private final ConfigLoader loader = new ConfigLoader(Map.of(), Path.of("/opt/warden"));

  private GatewayConfig parse(String yaml) {
    return loader.parse(yaml, "test.yaml", dir);
  }

  private List<String> errors(String yaml) {
    try {
      parse(yaml);
      throw new AssertionError("expected a configuration error");
    } catch (ConfigException e) {
      return e.errors().stream().map(ConfigError::toString).toList();
    }
  }

  private static final String SERVER = """
      servers:
        files:
          command: [node, files.js]
          classification: confidential
          labels: [pii]
          tools:
            delete_file: {classification: restricted, labels: [destructive]}
          resources:
            "file:///public/*": {classification: public}
      """;

  @Test
  void withoutAPolicySectionNothingIsEnforced() {
    PolicyConfig p = parse("servers:\n  files:\n    command: [node, f.js]\n").policy();
    assertThat(p.enabled()).isFalse();
    assertThat(p.rules().defaultEffect()).isEqualTo(Effect.ALLOW);
  }

  @Test
  void aPolicySectionDefaultsToDenyAndReadsRulesAndLabels() {
    GatewayConfig c = parse(SERVER + """
        policy:
          rules:
            - name: read-only
              effect: allow
              when: "!tool.annotations.destructiveHint"
              reason: read-only tools are fine
        """);
    assertThat(c.policy().enabled()).isTrue();
    assertThat(c.policy().rules().defaultEffect()).isEqualTo(Effect.DENY);
    assertThat(c.policy().rules().rules()).containsExactly(
        new PolicyConfig.Rule("read-only", Effect.ALLOW, "!tool.annotations.destructiveHint", "read-only tools are fine"));
    PolicyConfig.Server s = c.servers().getFirst().policy();
    assertThat(s.server()).isEqualTo(new PolicyConfig.Labels("confidential", List.of("pii")));
    assertThat(s.tools()).containsEntry("delete_file", new PolicyConfig.Labels("restricted", List.of("destructive")));
    assertThat(s.resources()).containsEntry("file:///public/*", new PolicyConfig.Labels("public", List.of()));
  }

  @Test
  void anInvalidRuleIsAConfigErrorWithItsPathAndCelPosition() {
    assertThat(errors(SERVER + """
        policy:
          default: allow
          rules:
            - {name: ok, effect: deny, when: "risk > 0.5"}
            - {name: bad, effect: deny, when: "principal.subject == "}
            - {name: typo, effect: deny, when: "principal.subjet == 'x'"}
        """)).containsExactly(
            "policy.rules[1].when: line 1, column 22: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}",
            "policy.rules[2].when: line 1, column 10: unknown field 'subjet' of principal (known: authenticated, claims, groups, issuer, roles, scopes, subject)");
  }

  @Test
  void missingAndWrongRuleKeysAreReported() {
    assertThat(errors("""
        policy:
          default: maybe
          rules:
            - {name: x, when: "true"}
            - {effect: permit, when: "true", extra: 1}
        """)).contains(
            "policy.default: must be 'allow' or 'deny'",
            "policy.rules[0].effect: required: allow or deny",
            "policy.rules[1].name: required: a short name for audit records and decisions",
            "policy.rules[1].effect: must be 'allow' or 'deny'");
  }

  @Test
  void anUnknownClassificationIsAnErrorUnlessDeclared() {
    String yaml = """
        servers:
          hr:
            command: [node, hr.js]
            classification: secret
            tools:
              payroll: {classification: top-secret}
        policy: {}
        """;
    assertThat(errors(yaml)).containsExactly(
        "servers.hr.classification: unknown classification 'secret' (known: public, internal, confidential, restricted; add it to policy.classifications)",
        "servers.hr.tools.payroll.classification: unknown classification 'top-secret' (known: public, internal, confidential, restricted; add it to policy.classifications)");
    GatewayConfig c = parse(yaml.replace("policy: {}", "policy:\n  classifications: [public, internal, secret, top-secret]"));
    assertThat(c.policy().classifications()).containsExactly("public", "internal", "secret", "top-secret");
  }

  @Test
  void rulesInAFileAreReadAndChecked() throws IOException {
    Path rules = dir.resolve("policy.yaml");
    Files.writeString(rules, """
        default: allow
        rules:
          - {name: no-delete, effect: deny, when: "tool.name == 'delete_file'", reason: no deleting}
        """);
    GatewayConfig c = parse(SERVER + "policy:\n  file: ${config.dir}/policy.yaml\n  reload-interval: 500ms\n");
    assertThat(c.policy().file()).isEqualTo(rules);
    assertThat(c.policy().reloadInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.policy().rules().defaultEffect()).isEqualTo(Effect.ALLOW);
    assertThat(c.policy().rules().rules()).hasSize(1);

    Files.writeString(rules, "rules:\n  - {name: x, effect: deny, when: \"tool.name ==\"}\n");
    assertThat(errors(SERVER + "policy:\n  file: ${config.dir}/policy.yaml\n")).singleElement().asString()
        .startsWith("policy.file: " + rules + ": rules[0].when: line 1, column 13: ");
    assertThat(errors(SERVER + "policy:\n  file: ${config.dir}/policy.yaml\n  rules: []\n"))
        .contains("policy.rules: not allowed together with policy.file: the rules and default effect come from that file");
  }

  @Test
  void unknownKeysInThePolicySectionAndLabelsAreRejected() {
    assertThat(errors("""
        servers:
          files:
            command: [node, f.js]
            tools:
              read: {clasification: public}
        policy:
          rule: []
        """)).anySatisfy(e -> assertThat(e).startsWith("servers.files.tools.read.clasification: unknown key"))
        .anySatisfy(e -> assertThat(e).startsWith("policy.rule: unknown key"));
  }

  @Test
  void aPolicyFileReadAloneReportsPaths() throws IOException {
    Path rules = dir.resolve("p.yaml");
    Files.writeString(rules, "default: deny\nrules: {}\n");
    assertThatThrownBy(() -> PolicyFileReader.read(rules)).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.errors()).extracting(ConfigError::path).containsExactly("rules"));
  }

  /** The policy guide's examples compile: the model, the classification and the rule examples. */
  @Test
  void theExamplesInThePolicyGuideAreValid() throws IOException {
    Path guide = Path.of("../docs/policy.md");
    if (!Files.exists(guide)) {
      return;
    }
    String[] blocks = Files.readString(guide).split("```yaml\n");
    int checked = 0;
    for (int i = 1; i < blocks.length; i++) {
      String yaml = blocks[i].substring(0, blocks[i].indexOf("```"));
      if (yaml.startsWith("policy:\n  default:")) {
        GatewayConfig c = parse(SERVER + yaml);
        assertThat(c.policy().rules().rules()).as("policy.md example " + i).isNotEmpty();
        checked++;
      } else if (yaml.startsWith("policy:\n  classifications:")) {
        GatewayConfig c = parse(yaml);
        assertThat(c.servers().getFirst().policy().tools()).containsKey("payroll_export");
        checked++;
      }
    }
    assertThat(checked).isEqualTo(3);
  }
}
