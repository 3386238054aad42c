package io.mcpwarden.core.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ElicitationUrlsTest {
  private static String problem(String url) {
    return ElicitationUrls.check(url, List.of()).refusal();
  }

  private static String warning(String url) {
    return ElicitationUrls.check(url, List.of()).warning();
  }

  private static String notAllowed(String url, List<String> hosts) {
    return ElicitationUrls.check(url, hosts).refusal();
  }

  @Test
  void pagesAUserCanSafelyBeSentToPass() {
    for (String url : new String[] {
        "https://auth.example.com/authorize?client_id=abc&state=xyz",
        "https://example.com", "https://example.com:8443/pay#step-2", "https://shop.example/ünïcode-path",
        "http://localhost:8080/callback", "http://127.0.0.1:3000/consent", "http://[::1]:9000/x"}) {
      assertThat(problem(url)).as(url).isNull();
      assertThat(warning(url)).as(url).isNull();
    }
  }

  @Test
  void linksThatCannotBeLegitimateAreRefused() {
    assertThat(problem("javascript:alert(document.cookie)")).contains("absolute URL with a host");
    assertThat(problem("data:text/html;base64,PHNjcmlwdD4=")).contains("absolute URL with a host");
    assertThat(problem("file:///etc/passwd")).contains("absolute URL with a host");
    assertThat(problem("ftp://files.example.com/x")).contains("only https");
    assertThat(problem("http://login.example.com/")).contains("only https");
    assertThat(problem("https://bank.example.com@evil.example/login")).contains("user information")
        .contains("evil.example");
    assertThat(problem("https://bank.example.com/\u202Egnp.exe")).contains("U+202E");
    assertThat(problem("https://bank.example.com/ login")).contains("whitespace");
    assertThat(problem("https://xn--bnk-sna.example/\n")).contains("U+000A");
    assertThat(problem("https://bаnk.example.com/")).as("Cyrillic а in the host, not in punycode")
        .contains("absolute URL with a host");
    assertThat(problem("https://example.com/" + "a".repeat(ElicitationUrls.MAX_LENGTH))).contains("longer than");
    assertThat(problem("https://exa mple.com")).isNotNull();
    assertThat(problem("")).contains("no URL");
    assertThat(problem(null)).contains("no URL");
  }

  @Test
  void lookAlikeHostsAndBareAddressesPassWithAWarning() {
    assertThat(problem("https://xn--pypal-4ve.com/login")).isNull();
    assertThat(warning("https://xn--pypal-4ve.com/login")).contains("xn--pypal-4ve.com").contains("imitate");
    assertThat(problem("https://203.0.113.7/pay")).isNull();
    assertThat(warning("https://203.0.113.7/pay")).contains("bare IP address");
  }

  @Test
  void aServersHostListLimitsWhereItsLinksMayGo() {
    List<String> hosts = List.of("checkout.example.com", "*.auth.example.org");
    assertThat(notAllowed("https://checkout.example.com/pay", hosts)).isNull();
    assertThat(notAllowed("https://CHECKOUT.example.com./pay", hosts)).isNull();
    assertThat(notAllowed("https://login.auth.example.org/x", hosts)).isNull();
    assertThat(notAllowed("https://a.b.auth.example.org/x", hosts)).isNull();
    assertThat(notAllowed("https://auth.example.org/x", hosts)).as("*. needs a name under it").contains("not one");
    assertThat(notAllowed("https://checkout.example.com.evil.example/pay", hosts)).contains("not one");
    assertThat(notAllowed("https://evilauth.example.org/x", hosts)).contains("not one");
    assertThat(notAllowed("https://anything.example/x", List.of())).as("no list, no limit").isNull();
  }
}
