package io.mcpwarden.core.content;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ElicitationUrlsTest {
  @Test
  void pagesAUserCanSafelyBeSentToPass() {
    for (String url : new String[] {
        "https://auth.example.com/authorize?client_id=abc&state=xyz",
        "https://example.com", "https://example.com:8443/pay#step-2", "https://shop.example/ünïcode-path",
        "http://localhost:8080/callback", "http://127.0.0.1:3000/consent", "http://[::1]:9000/x"}) {
      assertThat(ElicitationUrls.problem(url)).as(url).isNull();
      assertThat(ElicitationUrls.warning(url)).as(url).isNull();
    }
  }

  @Test
  void linksThatCannotBeLegitimateAreRefused() {
    assertThat(ElicitationUrls.problem("javascript:alert(document.cookie)")).contains("absolute URL with a host");
    assertThat(ElicitationUrls.problem("data:text/html;base64,PHNjcmlwdD4=")).contains("absolute URL with a host");
    assertThat(ElicitationUrls.problem("file:///etc/passwd")).contains("absolute URL with a host");
    assertThat(ElicitationUrls.problem("ftp://files.example.com/x")).contains("only https");
    assertThat(ElicitationUrls.problem("http://login.example.com/")).contains("only https");
    assertThat(ElicitationUrls.problem("https://bank.example.com@evil.example/login")).contains("user information")
        .contains("evil.example");
    assertThat(ElicitationUrls.problem("https://bank.example.com/\u202Egnp.exe")).contains("U+202E");
    assertThat(ElicitationUrls.problem("https://bank.example.com/ login")).contains("whitespace");
    assertThat(ElicitationUrls.problem("https://xn--bnk-sna.example/\n")).contains("U+000A");
    assertThat(ElicitationUrls.problem("https://bаnk.example.com/")).as("Cyrillic а in the host, not in punycode")
        .contains("absolute URL with a host");
    assertThat(ElicitationUrls.problem("https://example.com/" + "a".repeat(ElicitationUrls.MAX_LENGTH))).contains("longer than");
    assertThat(ElicitationUrls.problem("https://exa mple.com")).isNotNull();
    assertThat(ElicitationUrls.problem("")).contains("no URL");
    assertThat(ElicitationUrls.problem(null)).contains("no URL");
  }

  @Test
  void lookAlikeHostsAndBareAddressesPassWithAWarning() {
    assertThat(ElicitationUrls.problem("https://xn--pypal-4ve.com/login")).isNull();
    assertThat(ElicitationUrls.warning("https://xn--pypal-4ve.com/login")).contains("xn--pypal-4ve.com").contains("imitate");
    assertThat(ElicitationUrls.problem("https://203.0.113.7/pay")).isNull();
    assertThat(ElicitationUrls.warning("https://203.0.113.7/pay")).contains("bare IP address");
  }

  @Test
  void aServersHostListLimitsWhereItsLinksMayGo() {
    java.util.List<String> hosts = java.util.List.of("checkout.example.com", "*.auth.example.org");
    assertThat(ElicitationUrls.notAllowed("https://checkout.example.com/pay", hosts)).isNull();
    assertThat(ElicitationUrls.notAllowed("https://CHECKOUT.example.com./pay", hosts)).isNull();
    assertThat(ElicitationUrls.notAllowed("https://login.auth.example.org/x", hosts)).isNull();
    assertThat(ElicitationUrls.notAllowed("https://a.b.auth.example.org/x", hosts)).isNull();
    assertThat(ElicitationUrls.notAllowed("https://auth.example.org/x", hosts)).as("*. needs a name under it").contains("not one");
    assertThat(ElicitationUrls.notAllowed("https://checkout.example.com.evil.example/pay", hosts)).contains("not one");
    assertThat(ElicitationUrls.notAllowed("https://evilauth.example.org/x", hosts)).contains("not one");
    assertThat(ElicitationUrls.notAllowed("https://anything.example/x", java.util.List.of())).as("no list, no limit").isNull();
  }
}
