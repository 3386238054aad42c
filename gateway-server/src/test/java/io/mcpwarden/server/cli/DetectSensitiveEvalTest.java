package io.mcpwarden.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mcp-warden detect eval --kind secret|pii} on small datasets written here: rows flagged
 * when a span is found, spans in {@code --out}, entity-level figures per type for PII.
 */
class DetectSensitiveEvalTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void secretsAreFlaggedPerKindWithSpans() throws Exception {
    Path data = dir.resolve("secrets.jsonl");
    Files.write(data, List.of(
        """
        {"id":"s1","text":"GH_TOKEN=ghp_6Vw5DQL05HA064GiIjHGb3CXlMaXZjljENUh","label":"secret","kind":"github-pat","source":"test"}""",
        """
        {"id":"c1","text":"aws_access_key_id = AKIAIOSFODNN7EXAMPLE","label":"clean","kind":"aws-access-token","source":"test"}"""));
    Path results = dir.resolve("out.jsonl");
    assertThat(run("detect", "eval", "--kind", "secret", "--dataset", data.toString(), "--out", results.toString())).isZero();
    String[] lines = out.toString().strip().split("\n");
    assertThat(lines[lines.length - 1]).startsWith("recall=1.000 fpr=0.000 precision=1.000").endsWith(" n=2");
    assertThat(out.toString()).contains("github-pat").contains("aws-access-token");
    List<String> rows = Files.readAllLines(results);
    JsonNode s1 = JSON.readTree(rows.get(0));
    assertThat(s1.get("flagged").asBoolean()).isTrue();
    assertThat(s1.get("spans").get(0).get("type").asString()).isEqualTo("github-token");
    assertThat(s1.get("spans").get(0).get("start").asInt()).isEqualTo(9);
    JsonNode c1 = JSON.readTree(rows.get(1));
    assertThat(c1.get("flagged").asBoolean()).isFalse();
    assertThat(c1.has("spans")).isFalse();
  }

  @Test
  void personalDataIsScoredPerEntityType() throws Exception {
    Path data = dir.resolve("pii.jsonl");
    Files.write(data, List.of(
        """
        {"id":"p1","text":"Mail ana.ruiz@corp-mail.io or pay DE89370400440532013000","label":"pii","entities":[{"type":"EMAIL_ADDRESS","start":5,"end":26},{"type":"IBAN_CODE","start":34,"end":56}],"source":"test"}""",
        """
        {"id":"p2","text":"What are my options?","label":"clean","entities":[],"source":"test"}"""));
    Path results = dir.resolve("out.jsonl");
    assertThat(run("detect", "eval", "--kind", "pii", "--dataset", data.toString(), "--out", results.toString())).isZero();
    assertThat(out.toString()).contains("spans per type").containsPattern("EMAIL_ADDRESS\\s+1\\s+1\\.000\\s+1\\s+1\\.000")
        .containsPattern("IBAN_CODE\\s+1\\s+1\\.000\\s+1\\s+1\\.000");
    String[] lines = out.toString().strip().split("\n");
    assertThat(lines[lines.length - 1]).startsWith("recall=1.000 fpr=0.000");
    JsonNode p1 = JSON.readTree(Files.readAllLines(results).get(0));
    assertThat(p1.get("spans")).hasSize(2);
  }
}
