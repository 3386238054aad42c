package io.mcpwarden.it.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects what the gateway logs under one logger, for tests whose expected outcome is "logged,
 * not fatal" (stderr chatter, a dropped stdout banner, a refused name collision).
 */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(String loggerName) {
    this.logger = (Logger) LoggerFactory.getLogger(loggerName);
    appender.start();
    logger.addAppender(appender);
  }

  /** Starts capturing the named logger (and its children). */
  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  public static LogCapture of(Class<?> type) {
    return of(type.getName());
  }

  /** Formatted messages logged so far. */
  public List<String> messages() {
    synchronized (appender) {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  public boolean contains(String fragment) {
    return messages().stream().anyMatch(m -> m.contains(fragment));
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
