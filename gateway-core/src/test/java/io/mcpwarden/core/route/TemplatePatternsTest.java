package io.mcpwarden.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.message.JsonRpc;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** RFC 6570 template matching (levels 1-2) and the bounded cache of compiled patterns. */
class TemplatePatternsTest {

  private static boolean matches(String template, String uri) {
    return TemplatePatterns.compile(template).matcher(uri).matches();
  }

  @Test
  void simpleVariableMatchesOneSegment() {
    assertThat(matches("file:///{name}", "file:///readme.md")).isTrue();
    assertThat(matches("file:///{name}", "file:///docs/readme.md")).isFalse();
    assertThat(matches("file:///{name}", "file:///")).isFalse();
  }

  @Test
  void reservedAndFragmentExpansionMatchAcrossSegments() {
    assertThat(matches("file:///{+path}", "file:///docs/a/b.md")).isTrue();
    assertThat(matches("doc://x{#frag}", "doc://x#a/b")).isTrue();
  }

  @Test
  void queryExpansionIsOptional() {
    assertThat(matches("search://items{?q,limit}", "search://items")).isTrue();
    assertThat(matches("search://items{?q,limit}", "search://items?q=a&limit=2")).isTrue();
  }

  @Test
  void literalPartsAreQuotedNotRegex() {
    assertThat(matches("a.b://{x}", "a.b://y")).isTrue();
    assertThat(matches("a.b://{x}", "aXb://y")).isFalse();
    assertThat(matches("x://(.*)/{y}", "x://(.*)/z")).isTrue();
    assertThat(matches("x://(.*)/{y}", "x://anything/z")).isFalse();
  }

  @Test
  void severalVariables() {
    String t = "db://{schema}/tables/{table}";
    assertThat(matches(t, "db://public/tables/users")).isTrue();
    assertThat(matches(t, "db://public/views/users")).isFalse();
  }

  @Test
  void unclosedBraceIsTakenLiterally() {
    Pattern p = TemplatePatterns.compile("x://{oops");
    assertThat(p.matcher("x://{oops").matches()).isTrue();
    assertThat(p.matcher("x://anything").matches()).isFalse();
  }

  @Test
  void templateWithoutVariablesMatchesOnlyItself() {
    assertThat(matches("config://app", "config://app")).isTrue();
    assertThat(matches("config://app", "config://app2")).isFalse();
  }

  @Test
  void aTemplateIsCompiledOnceAndItsPatternReusedByLaterReads() {
    TemplatePatterns patterns = new TemplatePatterns();
    Pattern first = patterns.pattern("db://{schema}/tables/{table}");
    assertThat(patterns.pattern("db://{schema}/tables/{table}")).isSameAs(first);
    assertThat(patterns.pattern("db://{schema}/views/{view}")).isNotSameAs(first);
    assertThat(patterns.size()).isEqualTo(2);
  }

  @Test
  void cachedMatchingIsTheSameAsCompiledMatching() {
    TemplatePatterns patterns = new TemplatePatterns();
    var template = JsonRpc.NODES.objectNode().put("uriTemplate", "file:///{name}");
    for (int read = 0; read < 2; read++) {
      assertThat(patterns.describes(template, "file:///readme.md")).isTrue();
      assertThat(patterns.describes(template, "file:///docs/readme.md")).isFalse();
    }
    assertThat(patterns.describes(JsonRpc.NODES.objectNode(), "file:///readme.md")).isFalse(); // no template: nothing matches
  }

  @Test
  void templatesAnUpstreamInventsCannotGrowTheCacheBeyondItsBound() {
    TemplatePatterns patterns = new TemplatePatterns(16);
    for (int i = 0; i < 1_000; i++) {
      assertThat(patterns.pattern("x://" + i + "/{id}").matcher("x://" + i + "/7").matches()).isTrue();
    }
    assertThat(patterns.size()).isLessThanOrEqualTo(16);
  }
}
