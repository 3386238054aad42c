package io.mcpwarden.core.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.config.ContentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each rule with an attack and its legitimate twin. */
class ArgumentRulesTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode json(String s) {
    return JSON.readTree(s);
  }

  // ------------------------------------------------------------------ paths

  @Test
  void pathsInsideARootPassAndTraversalOrOutsidePathsAreRefused(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectories(dir.resolve("docs"));
    ContentConfig.PathRule rule = new ContentConfig.PathRule(List.of(), List.of(root.toString()));
    assertThat(ArgumentRules.checkPaths(rule, json("{\"path\":\"" + root + "/a/b.txt\"}"), true)).isNull();
    assertThat(ArgumentRules.checkPaths(rule, json("{\"path\":\"a/b.txt\"}"), true)).isNull();
    assertThat(ArgumentRules.checkPaths(rule, json("{\"path\":\"" + root + "/../secret\"}"), true)).contains("'..'");
    assertThat(ArgumentRules.checkPaths(rule, json("{\"path\":\"/etc/passwd\"}"), true)).contains("outside the allowed roots");
    assertThat(ArgumentRules.checkPaths(rule, json("{\"file\":\"" + root + "/%2e%2e/x\"}"), true)).contains("percent-encoded");
    assertThat(ArgumentRules.checkPaths(rule, json("{\"path\":\"..\\\\..\\\\x\"}"), true)).contains("'..'");
    assertThat(ArgumentRules.checkPaths(rule, json("{\"path\":\"~/.ssh/id_rsa\"}"), true)).contains("'~'");
    // a text argument that is not a path is not a path rule's business
    assertThat(ArgumentRules.checkPaths(rule, json("{\"query\":\"/etc/passwd\"}"), true)).isNull();
  }

  @Test
  void aSymlinkInsideTheRootLeadingOutIsRefusedWhileAPlainFileIsServed(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectories(dir.resolve("docs"));
    Path outside = Files.createDirectories(dir.resolve("private"));
    Files.createSymbolicLink(root.resolve("link"), outside);
    Files.writeString(root.resolve("ok.txt"), "x");
    ContentConfig.PathRule rule = new ContentConfig.PathRule(List.of("p"), List.of(root.toString()));
    assertThat(ArgumentRules.checkPaths(rule, json("{\"p\":\"" + root + "/link/key\"}"), true)).contains("symbolic link");
    assertThat(ArgumentRules.checkPaths(rule, json("{\"p\":\"" + root + "/ok.txt\"}"), true)).isNull();
  }

  // ------------------------------------------------------------------ URLs

  @Test
  void internalAddressesInEverySpellingAreRefusedAndPublicOnesPass() {
    ContentConfig.UrlRule any = new ContentConfig.UrlRule(List.of(), List.of(), false);
    for (String bad : List.of("http://127.0.0.1/", "http://localhost:8080/x", "http://169.254.169.254/latest/meta-data/",
        "http://2130706433/", "http://0x7f.1/", "http://017700000001/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
        "http://10.1.2.3/", "http://192.168.0.1/", "http://172.16.5.4/", "http://metadata.google.internal/",
        "http://[fd00::1]/", "http://0.0.0.0/", "http://foo.localhost/", "http://user@example.com/")) {
      assertThat(ArgumentRules.urlProblem(bad, any)).as(bad).isNotNull();
    }
    assertThat(ArgumentRules.urlProblem("https://example.com/page?q=1", any)).isNull();
    assertThat(ArgumentRules.urlProblem("http://93.184.216.34/", any)).isNull();
    assertThat(ArgumentRules.urlProblem("file:///etc/passwd", any)).contains("scheme");
  }

  @Test
  void theAllowListMatchesSchemeHostAndPort() {
    ContentConfig.UrlRule rule = new ContentConfig.UrlRule(List.of("url"), List.of("https://docs.example.com", "https://*.example.org"), false);
    assertThat(ArgumentRules.checkUrls(rule, json("{\"url\":\"https://docs.example.com/a\"}"))).isNull();
    assertThat(ArgumentRules.checkUrls(rule, json("{\"url\":\"https://api.example.org/v1\"}"))).isNull();
    assertThat(ArgumentRules.checkUrls(rule, json("{\"url\":\"http://docs.example.com/a\"}"))).contains("allow-list");
    assertThat(ArgumentRules.checkUrls(rule, json("{\"url\":\"https://docs.example.com:8443/a\"}"))).contains("allow-list");
    assertThat(ArgumentRules.checkUrls(rule, json("{\"url\":\"https://example.org/\"}"))).contains("allow-list");
    assertThat(ArgumentRules.checkUrls(rule, json("{\"url\":\"https://docs.example.com.evil.net/\"}"))).contains("allow-list");
  }

  @Test
  void withoutNamedArgumentsEveryUrlLikeStringIsChecked() {
    ContentConfig.UrlRule rule = new ContentConfig.UrlRule(List.of(), List.of(), false);
    assertThat(ArgumentRules.checkUrls(rule, json("{\"opts\":{\"target\":\"http://127.0.0.1:6379/\"}}"))).contains("loopback");
    assertThat(ArgumentRules.checkUrls(rule, json("{\"text\":\"see http colon slash slash\"}"))).isNull();
  }

  // ------------------------------------------------------------------ shell

  @Test
  void shellMetacharactersAreFlaggedAndAPlainCommandPasses() {
    assertThat(ArgumentRules.checkShell(json("{\"command\":\"ls -la /tmp\"}"))).isNull();
    assertThat(ArgumentRules.checkShell(json("{\"command\":\"git log --oneline -n 5\"}"))).isNull();
    for (String bad : List.of("ls; rm -rf /", "cat x | nc evil 1", "echo $(id)", "echo `id`", "a && b", "x > /etc/passwd", "a\nb", "${IFS}")) {
      assertThat(ArgumentRules.checkShell(JSON.createObjectNode().put("command", bad))).as(bad).contains("metacharacter");
    }
  }

  @Test
  void urlLikeAndShellMetaAnswerAsTheirExpressionsDid() {
    java.util.regex.Pattern url = java.util.regex.Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*", java.util.regex.Pattern.DOTALL);
    java.util.regex.Pattern meta = java.util.regex.Pattern.compile("[;&|`<>\\n\\r\\x00]|\\$\\(|\\$\\{");
    for (String v : List.of("https://a.example/x", "  git+ssh://h/r ", "a://", "1http://x", "http:/x", "mailto:x@y", "", "   ",
        "x-y.z+w://q\nmore", "see http://x", "ls; rm", "echo $(id)", "a ${b}", "$", "a|b", "plain words", "a\u0000b", "x >y")) {
      assertThat(ArgumentRules.urlLike(v)).as(v).isEqualTo(url.matcher(v.strip()).matches());
      var m = meta.matcher(v);
      assertThat(ArgumentRules.shellMeta(v)).as(v).isEqualTo(m.find() ? m.group() : null);
    }
  }
}
