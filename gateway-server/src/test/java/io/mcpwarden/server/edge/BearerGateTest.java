package io.mcpwarden.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerGateTest {
  @Test
  void tokensInTheQueryAreFoundHoweverSpelled() {
    assertThat(BearerGate.tokenInQuery("access_token=abc")).isTrue();
    assertThat(BearerGate.tokenInQuery("a=1&ACCESS_TOKEN=abc")).isTrue();
    assertThat(BearerGate.tokenInQuery("access%5Ftoken=abc")).isTrue();
    assertThat(BearerGate.tokenInQuery("access_token")).isTrue();
    assertThat(BearerGate.tokenInQuery("%zz=abc")).isTrue(); // unparseable name: refused rather than guessed
  }

  @Test
  void otherQueriesPass() {
    assertThat(BearerGate.tokenInQuery(null)).isFalse();
    assertThat(BearerGate.tokenInQuery("")).isFalse();
    assertThat(BearerGate.tokenInQuery("session=1&token_hint=x")).isFalse();
    assertThat(BearerGate.tokenInQuery("q=access_token")).isFalse();
  }

  @Test
  void adminEndpointTakesOnlyLoopbackPeers() {
    assertThat(SessionAdminHandler.loopback("127.0.0.1")).isTrue();
    assertThat(SessionAdminHandler.loopback("127.1.2.3")).isTrue();
    assertThat(SessionAdminHandler.loopback("[::1]")).isTrue();
    assertThat(SessionAdminHandler.loopback("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(SessionAdminHandler.loopback("10.0.0.5")).isFalse();
    assertThat(SessionAdminHandler.loopback("localhost")).isFalse(); // names are never resolved
    assertThat(SessionAdminHandler.loopback(null)).isFalse();
  }
}
