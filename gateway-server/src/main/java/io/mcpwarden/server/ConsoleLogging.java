package io.mcpwarden.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The gateway's logging set-up, in code: one line per event on standard error (standard output
 * is the CLI's, and an MCP stdio client's when the launcher runs as one), Jetty and Flyway only
 * from WARN, the root level from {@code WARDEN_LOG_LEVEL} (system property or environment variable,
 * default INFO).
 *
 * <p>Found by logback through {@code META-INF/services}. It replaces a {@code logback.xml} because
 * reading an XML configuration (an XML parser and logback's model machinery) was about a tenth of
 * the gateway's start-up. A user's own configuration still wins: with {@code
 * -Dlogback.configurationFile=...}, or a {@code logback.xml} / {@code logback-test.xml} on the class
 * path, this steps aside and logback reads that file as usual.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
  /** The line format: time, level, short logger name, message. */
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n";

  public ConsoleLogging() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ClassLoader loader = ConsoleLogging.class.getClassLoader();
    if (System.getProperty("logback.configurationFile") != null
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY; // the user's file, read by logback's own configurator
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(rootLevel(System.getProperty("WARDEN_LOG_LEVEL", System.getenv("WARDEN_LOG_LEVEL"))));
    root.addAppender(stderr);
    context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
    // Schema migrations of the integrity store: only problems are worth a line at every start.
    context.getLogger("org.flywaydb").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** The root level named by {@code value}; INFO when it is absent or names no level. */
  static Level rootLevel(String value) {
    return value == null || value.isBlank() ? Level.INFO : Level.toLevel(value.strip(), Level.INFO);
  }
}
