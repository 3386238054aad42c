package io.mcpwarden.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogLevelsTest {

  @Test
  void theEightSyslogLevelsAreValid() {
    for (String l : new String[] {"debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"}) {
      assertThat(LogLevels.valid(l)).as(l).isTrue();
    }
  }

  @Test
  void othersAreNot() {
    assertThat(LogLevels.valid(null)).isFalse();
    assertThat(LogLevels.valid("")).isFalse();
    assertThat(LogLevels.valid("INFO")).isFalse();
    assertThat(LogLevels.valid("warn")).isFalse();
  }

  @Test
  void noThresholdPassesEverything() {
    assertThat(LogLevels.passes("debug", null)).isTrue();
  }

  @Test
  void levelsAtOrAboveTheThresholdPass() {
    assertThat(LogLevels.passes("warning", "warning")).isTrue();
    assertThat(LogLevels.passes("error", "warning")).isTrue();
    assertThat(LogLevels.passes("emergency", "debug")).isTrue();
  }

  @Test
  void levelsBelowTheThresholdAreFiltered() {
    assertThat(LogLevels.passes("info", "warning")).isFalse();
    assertThat(LogLevels.passes("debug", "info")).isFalse();
    assertThat(LogLevels.passes("alert", "emergency")).isFalse();
  }

  @Test
  void unknownUpstreamLevelIsPassedRatherThanLost() {
    assertThat(LogLevels.passes("verbose", "emergency")).isTrue();
  }
}
