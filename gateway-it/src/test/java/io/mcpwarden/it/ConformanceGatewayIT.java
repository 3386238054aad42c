package io.mcpwarden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.mcpwarden.it.fixture.ConformanceSuite;
import io.mcpwarden.it.support.FixtureProcess;
import io.mcpwarden.it.support.GatewayHarness;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The official MCP conformance suite against the gateway fronting the conformance fixture, once
 * over stdio and once over Streamable HTTP; each must score what the fixture scores directly.
 *
 * <p>The gateway is reached through {@code localhost}, as the DNS-rebinding scenario requires,
 * and the fixture is exposed unprefixed ({@code prefix: false}) so scenario tool names match.
 */
class ConformanceGatewayIT {

  @Test
  void gatewayFrontingStdioFixtureScoresLikeTheFixture() throws Exception {
    assumeFalse(ConformanceSuite.skipRequested(), ConformanceSuite.SKIP_ENV + "=1");
    String command = FixtureProcess.conformanceStdioCommand().stream()
        .map(ConformanceGatewayIT::yamlString).collect(Collectors.joining(", ", "[", "]"));
    String yaml = "servers:\n  conformance:\n    prefix: false\n    command: " + command + "\n    env-passthrough: [PATH, HOME]\n";
    try (GatewayHarness gw = GatewayHarness.start(yaml)) {
      assertFullScore(gw, "gateway-stdio.txt");
    }
  }

  @Test
  void gatewayFrontingHttpFixtureScoresLikeTheFixture() throws Exception {
    assumeFalse(ConformanceSuite.skipRequested(), ConformanceSuite.SKIP_ENV + "=1");
    try (FixtureProcess fixture = FixtureProcess.startConformanceHttp()) {
      String yaml = "servers:\n  conformance:\n    prefix: false\n    url: " + fixture.mcpUri() + "\n";
      try (GatewayHarness gw = GatewayHarness.start(yaml)) {
        assertFullScore(gw, "gateway-http.txt");
      }
    }
  }

  private static void assertFullScore(GatewayHarness gw, String reportName) throws Exception {
    URI url = URI.create("http://localhost:" + gw.gateway().port() + gw.gateway().config().listen().path());
    ConformanceSuite.Result result = ConformanceSuite.run(url, Path.of("target", "conformance", reportName));
    System.out.println("conformance through gateway (" + reportName + "): " + result.scoreLine()
        + " failed scenarios " + result.failedScenarios());
    assertThat(result.scoreLine()).as("score line in %s", result.report()).isNotEmpty();
    assertThat(result.failedScenarios()).as("failed scenarios, see %s", result.report()).isEqualTo(List.of());
    assertThat(result.failed()).as(result.scoreLine()).isZero();
    assertThat(result.passed()).as(result.scoreLine()).isPositive();
    assertThat(result.exitCode()).as("suite exit code, see %s", result.report()).isZero();
  }

  private static String yamlString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
