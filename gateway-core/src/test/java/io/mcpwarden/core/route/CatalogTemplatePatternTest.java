package io.mcpwarden.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CatalogTemplatePatternTest {

  private static boolean matches(String template, String uri) {
    return Catalog.templatePattern(template).matcher(uri).matches();
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
    Pattern p = Catalog.templatePattern("x://{oops");
    assertThat(p.matcher("x://{oops").matches()).isTrue();
    assertThat(p.matcher("x://anything").matches()).isFalse();
  }

  @Test
  void templateWithoutVariablesMatchesOnlyItself() {
    assertThat(matches("config://app", "config://app")).isTrue();
    assertThat(matches("config://app", "config://app2")).isFalse();
  }
}
