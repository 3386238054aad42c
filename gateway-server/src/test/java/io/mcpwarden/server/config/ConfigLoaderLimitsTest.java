package io.mcpwarden.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.config.CallLimitsConfig;
import io.mcpwarden.core.config.CallLimitsConfig.Rate;
import io.mcpwarden.core.config.GatewayConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderLimitsTest {
  private static final String ONE_SERVER = "servers:\n  demo:\n    command: [\"node\", \"server.js\"]\n";
  private final ConfigLoader loader = new ConfigLoader(Map.of(), Path.of("/opt/warden"));

  private GatewayConfig parse(String yaml) {
    return loader.parse(yaml + ONE_SERVER, "test.yaml", Path.of("/etc/warden"));
  }

  private List<String> errors(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.errors().stream().map(err -> err.path() + ": " + err.message()).toList();
    }
    throw new AssertionError("expected the configuration to be refused:\n" + yaml);
  }

  @Test
  void withoutKeysNoRateLimitsAndDefaultCaps() {
    assertThat(parse("").limits().calls()).isEqualTo(CallLimitsConfig.DEFAULTS);
  }

  @Test
  void readsRatesCapsAndResultSize() {
    CallLimitsConfig c = parse("""
        limits:
          rate:
            per-user: { capacity: 20, refill-per-second: 5 }
            per-tool: { capacity: 100, refill-per-second: 0.5 }
            per-server: { capacity: 300, refill-per-second: 50 }
            tools:
              demo_search: { capacity: 2, refill-per-second: 0.1 }
            max-tracked-keys: 5000
          max-concurrent-per-user: 4
          max-concurrent-per-server: 16
          max-result-bytes: 65536
        """).limits().calls();
    assertThat(c).isEqualTo(new CallLimitsConfig(new Rate(20, 5), new Rate(100, 0.5), new Rate(300, 50),
        Map.of("demo_search", new Rate(2, 0.1)), 5000, 4, 16, 65536));
  }

  @Test
  void everyBadKeyIsReportedWithItsPath() {
    List<String> errors = errors("""
        limits:
          rate:
            per-user: { capacity: 0, refill-per-second: 5 }
            per-tool: { capacity: 10, refill-per-second: -1 }
            per-server: { capacity: 10 }
            tools:
              demo_search: 5
            per-session: { capacity: 1, refill-per-second: 1 }
          max-concurrent-per-user: 0
          max-result-bytes: 12
        """);
    assertThat(errors).anyMatch(e -> e.startsWith("limits.rate.per-user.capacity: must be between 1"));
    assertThat(errors).anyMatch(e -> e.startsWith("limits.rate.per-tool.refill-per-second: must be a number above 0"));
    assertThat(errors).anyMatch(e -> e.startsWith("limits.rate.per-server.refill-per-second: required"));
    assertThat(errors).anyMatch(e -> e.startsWith("limits.rate.tools.demo_search: must be a mapping"));
    assertThat(errors).anyMatch(e -> e.startsWith("limits.rate.per-session: unknown key"));
    assertThat(errors).anyMatch(e -> e.startsWith("limits.max-concurrent-per-user: must be between 1"));
    assertThat(errors).anyMatch(e -> e.startsWith("limits.max-result-bytes: must be between 1024"));
  }
}
