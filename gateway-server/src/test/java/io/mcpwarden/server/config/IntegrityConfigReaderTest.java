package io.mcpwarden.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.IntegrityConfig;
import io.mcpwarden.core.config.IntegrityConfig.Pinning;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntegrityConfigReaderTest {
  private static final Path HOME = Path.of("/opt/warden");
  private final ConfigLoader loader = new ConfigLoader(Map.of(), HOME);

  private GatewayConfig parse(String yaml) {
    return loader.parse(yaml, "test.yaml", Path.of("/etc/warden"));
  }

  @Test
  void defaultsAreRequireApprovalAndAStoreUnderTheHome() {
    GatewayConfig c = parse("servers:\n  demo:\n    command: [\"node\"]\n");
    assertThat(c.integrity().store()).isEqualTo(HOME.resolve("data/integrity.db"));
    assertThat(c.integrity().defaultPinning()).isEqualTo(Pinning.REQUIRE_APPROVAL);
    assertThat(c.integrity().pinning(c.servers().getFirst())).isEqualTo(Pinning.REQUIRE_APPROVAL);
  }

  @Test
  void storeDefaultModeAndPerServerModeAreRead() {
    GatewayConfig c = parse("integrity:\n  store: ${warden.home}/pins/x.db\n  default-pinning: trust-on-first-use\n"
        + "servers:\n  a:\n    command: [\"node\"]\n  b:\n    command: [\"node\"]\n    pinning: require-approval\n");
    assertThat(c.integrity().store()).isEqualTo(HOME.resolve("pins/x.db"));
    assertThat(c.integrity().pinning(c.servers().get(0))).isEqualTo(Pinning.TRUST_ON_FIRST_USE);
    assertThat(c.integrity().pinning(c.servers().get(1))).isEqualTo(Pinning.REQUIRE_APPROVAL);
  }

  @Test
  void badModesAndUnknownKeysAreErrorsWithTheirPath() {
    assertThatThrownBy(() -> parse("integrity:\n  default-pinning: trust\n  stroe: x\n"
        + "servers:\n  a:\n    command: [\"node\"]\n    pinning: tofu\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::path)
            .contains("integrity.default-pinning", "integrity.stroe", "servers.a.pinning"));
  }

  @Test
  void detectorThresholdDefaultsToTheShippedOneAndCanBeSet() {
    assertThat(parse("servers:\n  a:\n    command: [\"node\"]\n").integrity().detectorThreshold())
        .isEqualTo(IntegrityConfig.DEFAULT_DETECTOR_THRESHOLD);
    GatewayConfig c = parse("integrity:\n  detector:\n    threshold: 0.7\nservers:\n  a:\n    command: [\"node\"]\n");
    assertThat(c.integrity().detectorThreshold()).isEqualTo(0.7);
  }

  @Test
  void badDetectorThresholdsAndKeysAreErrorsWithTheirPath() {
    assertThatThrownBy(() -> parse("integrity:\n  detector:\n    threshold: 1.5\n    treshold: 0.3\n"
        + "servers:\n  a:\n    command: [\"node\"]\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::path)
            .contains("integrity.detector.threshold", "integrity.detector.treshold"));
    assertThatThrownBy(() -> parse("integrity:\n  detector: high\nservers:\n  a:\n    command: [\"node\"]\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::path)
            .contains("integrity.detector"));
  }
}
