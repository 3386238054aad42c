package io.mcpwarden.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

class ConsoleLoggingTest {
  @Test
  void configuresOneStderrAppenderWithQuietLibraries() {
    LoggerContext context = new LoggerContext();
    ConsoleLogging logging = new ConsoleLogging();
    logging.setContext(context);
    assertThat(logging.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getAppender("STDERR")).isInstanceOfSatisfying(ConsoleAppender.class,
        a -> assertThat(a.getTarget()).isEqualTo("System.err"));
    assertThat(context.getLogger("org.eclipse.jetty").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("org.flywaydb").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.mcpwarden").getEffectiveLevel()).isIn(Level.INFO, ConsoleLogging.rootLevel(System.getenv("WARDEN_LOG_LEVEL")));
  }

  @Test
  void theRootLevelComesFromTheSettingAndFallsBackToInfo() {
    assertThat(ConsoleLogging.rootLevel(null)).isEqualTo(Level.INFO);
    assertThat(ConsoleLogging.rootLevel(" debug ")).isEqualTo(Level.DEBUG);
    assertThat(ConsoleLogging.rootLevel("WARN")).isEqualTo(Level.WARN);
    assertThat(ConsoleLogging.rootLevel("loud")).isEqualTo(Level.INFO);
  }

  @Test
  void aUsersConfigurationFileWins() {
    String before = System.getProperty("logback.configurationFile");
    System.setProperty("logback.configurationFile", "/etc/mcp-warden/logback.xml");
    try {
      LoggerContext context = new LoggerContext();
      ConsoleLogging logging = new ConsoleLogging();
      logging.setContext(context);
      assertThat(logging.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
    } finally {
      if (before == null) {
        System.clearProperty("logback.configurationFile");
      } else {
        System.setProperty("logback.configurationFile", before);
      }
    }
  }
}
