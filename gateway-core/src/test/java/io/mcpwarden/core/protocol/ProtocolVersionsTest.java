package io.mcpwarden.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProtocolVersionsTest {

  @Test
  void supportedVersionIsEchoed() {
    for (String v : ProtocolVersions.SUPPORTED) {
      assertThat(ProtocolVersions.negotiate(v)).isEqualTo(v);
    }
  }

  @Test
  void unknownOrMissingVersionGetsTheLatest() {
    assertThat(ProtocolVersions.negotiate("2024-11-05")).isEqualTo(ProtocolVersions.LATEST);
    assertThat(ProtocolVersions.negotiate("2099-01-01")).isEqualTo(ProtocolVersions.LATEST);
    assertThat(ProtocolVersions.negotiate(null)).isEqualTo(ProtocolVersions.LATEST);
  }

  @Test
  void latestIsSupportedAndFirst() {
    assertThat(ProtocolVersions.SUPPORTED.getFirst()).isEqualTo(ProtocolVersions.LATEST).isEqualTo("2025-11-25");
    assertThat(ProtocolVersions.isSupported(null)).isFalse();
    assertThat(ProtocolVersions.isSupported(ProtocolVersions.ASSUMED_WHEN_ABSENT)).isTrue();
  }

  @Test
  void structuredContentFrom20250618() {
    assertThat(ProtocolVersions.hasStructuredContent("2025-03-26")).isFalse();
    assertThat(ProtocolVersions.hasStructuredContent("2025-06-18")).isTrue();
    assertThat(ProtocolVersions.hasStructuredContent("2025-11-25")).isTrue();
  }
}
