package io.mcpwarden.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.config.ListenConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class OriginPolicyTest {
  private final OriginPolicy loopback = new OriginPolicy(new ListenConfig("127.0.0.1", 7700, "/mcp", List.of(), List.of()));
  private final OriginPolicy configured = new OriginPolicy(new ListenConfig("0.0.0.0", 443, "/mcp",
      List.of("warden.example.com"), List.of("https://app.example.com")));

  // ---- Host

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "localhost:7700", "127.0.0.1", "127.0.0.1:1", "[::1]", "[::1]:7700", "LocalHost:7700", " localhost "})
  void loopbackHostsAreAcceptedByDefaultOnAnyPort(String host) {
    assertThat(loopback.hostAllowed(host)).isTrue();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"evil.example", "evil.example:7700", "localhost.evil.example", "127.0.0.1.nip.io", "127.0.0.2",
      "0.0.0.0", "[::2]", "localhost.", "attacker.com#localhost", "[::1", "::1:7700"})
  void otherHostsAreRefusedByDefault(String host) {
    // Attack: a page whose name was rebound to 127.0.0.1 still sends its own name as Host.
    assertThat(loopback.hostAllowed(host)).isFalse();
  }

  @Test
  void configuredHostsReplaceTheLoopbackDefault() {
    assertThat(configured.hostAllowed("warden.example.com")).isTrue();
    assertThat(configured.hostAllowed("warden.example.com:443")).isTrue();
    assertThat(configured.hostAllowed("WARDEN.EXAMPLE.COM")).isTrue();
    assertThat(configured.hostAllowed("localhost")).isFalse();
    assertThat(configured.hostAllowed("evil.example")).isFalse();
    assertThat(configured.hostAllowed("sub.warden.example.com")).isFalse();
  }

  @Test
  void stripPort() {
    assertThat(OriginPolicy.stripPort("a.example:80")).isEqualTo("a.example");
    assertThat(OriginPolicy.stripPort("a.example")).isEqualTo("a.example");
    assertThat(OriginPolicy.stripPort("[::1]:80")).isEqualTo("[::1]");
    assertThat(OriginPolicy.stripPort("[::1]")).isEqualTo("[::1]");
  }

  // ---- Origin

  @Test
  void absentOriginIsAllowedForNonBrowserClients() {
    assertThat(loopback.originAllowed(null)).isTrue();
    assertThat(configured.originAllowed(null)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://localhost:3000", "http://127.0.0.1:7700", "https://localhost", "http://[::1]:6274", "HTTP://LOCALHOST:3000"})
  void loopbackOriginsAreAcceptedForALoopbackDeployment(String origin) {
    // Legitimate use: a local inspector or web app on another loopback port.
    assertThat(loopback.originAllowed(origin)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://evil.example", "http://localhost.evil.example", "http://127.0.0.1.nip.io", "null", "",
      "file://", "file:///tmp/x.html", "chrome-extension://abcdef", "ws://localhost:3000", "http://evil.example@localhost.evil",
      "not a uri", "http://"})
  void foreignOriginsAreRefused(String origin) {
    // Attack: a web page in the user's browser posting to the local gateway.
    assertThat(loopback.originAllowed(origin)).isFalse();
  }

  @Test
  void configuredOriginsMatchExactlyIgnoringCase() {
    assertThat(configured.originAllowed("https://app.example.com")).isTrue();
    assertThat(configured.originAllowed("HTTPS://APP.EXAMPLE.COM")).isTrue();
    assertThat(configured.originAllowed("http://app.example.com")).isFalse();
    assertThat(configured.originAllowed("https://app.example.com:8443")).isFalse();
    assertThat(configured.originAllowed("https://evil.app.example.com")).isFalse();
  }

  @Test
  void loopbackOriginsAreRefusedWhenTheDeploymentIsNotLoopback() {
    assertThat(configured.originAllowed("http://localhost:3000")).isFalse();
  }

  @Test
  void loopbackOriginsAreAcceptedWhenLoopbackHostsAreListed() {
    OriginPolicy both = new OriginPolicy(new ListenConfig("0.0.0.0", 7700, "/mcp", List.of("localhost", "warden.lan"), List.of()));
    assertThat(both.originAllowed("http://localhost:5173")).isTrue();
    assertThat(both.originAllowed("http://127.0.0.1:5173")).isFalse();
  }
}
