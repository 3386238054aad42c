package io.mcpwarden.core.backend;

import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.message.JsonRpcException;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone GET stream of one upstream session: where the upstream sends what belongs to no
 * call (list_changed, resource updates, its own requests).
 *
 * <p>An upstream without one answers 405 and is left alone. A stream that drops is reopened with
 * {@code Last-Event-ID}, after the delay the upstream asked for with {@code retry} or an
 * exponential backoff, and given up after a bounded run of failures; calls are unaffected.
 */
final class HttpStandaloneStream {
  private static final Logger LOG = LoggerFactory.getLogger(HttpStandaloneStream.class);

  /** Consecutive failed (re)connections before the stream is given up. */
  static final int MAX_FAILURES = 6;

  private static final long BASE_DELAY_MILLIS = 250;
  private static final long MAX_DELAY_MILLIS = 30_000;
  /** A stream that lived this long counts as healthy even if it carried nothing. */
  private static final long HEALTHY_MILLIS = 10_000;
  private static final long CONNECT_WAIT_MILLIS = 30_000;

  private final HttpUpstreamSession session;
  private final HttpUpstreamClient client;
  private final ServerConfig server;
  private volatile boolean stopped;
  private volatile Runnable abort;
  private volatile Thread thread;

  HttpStandaloneStream(HttpUpstreamSession session, HttpUpstreamClient client, ServerConfig server) {
    this.session = session;
    this.client = client;
    this.server = server;
  }

  void start() {
    thread = Thread.ofVirtual().name("mcp-http-get-" + server.name()).start(this::run);
  }

  /** Stops at once, from any thread. */
  void stop() {
    stopped = true;
    Runnable hook = abort;
    if (hook != null) {
      hook.run();
    }
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
    }
  }

  private void abortable(Runnable hook) {
    abort = hook;
    if (stopped) {
      hook.run();
    }
  }

  private boolean active() {
    return !stopped && session.isOpen();
  }

  private void run() {
    String lastEventId = "";
    long retry = -1;
    int failures = 0;
    while (active()) {
      long startedNanos = System.nanoTime();
      boolean progressed = false;
      boolean failed = false;
      try (HttpReply r = client.get(session.context(), session.sessionId(), session.protocolVersion(), lastEventId, true, CONNECT_WAIT_MILLIS, this::abortable)) {
        if (!active()) {
          return;
        }
        int status = r.status();
        if (status == 405) {
          LOG.debug("server {}: no standalone stream (HTTP 405)", server.name());
          return;
        }
        if (status == 404) {
          // The session expired; the next request re-initializes and opens a new stream.
          LOG.debug("server {}: standalone stream refused (HTTP 404)", server.name());
          return;
        }
        if (status / 100 == 4 && status != 408 && status != 429) {
          LOG.info("server {}: standalone stream refused (HTTP {}); not retried", server.name(), status);
          return;
        }
        if (status == 200 && r.isEventStream()) {
          SseParser parser = new SseParser(r.body());
          try {
            SseParser.Event event;
            while ((event = parser.next()) != null) {
              progressed = true;
              session.dispatch(event, null);
            }
          } finally {
            if (!parser.lastEventId().isEmpty()) {
              progressed |= !parser.lastEventId().equals(lastEventId);
              lastEventId = parser.lastEventId();
            }
            if (parser.retryMillis() >= 0) {
              retry = parser.retryMillis();
            }
          }
        } else {
          failed = true;
          LOG.debug("server {}: standalone stream answered HTTP {} ({})", server.name(), status, r.mediaType());
        }
      } catch (SseParser.OversizeException e) {
        failed = true;
        LOG.warn("server {}: standalone stream sent a {}", server.name(), e.getMessage());
      } catch (IOException | JsonRpcException | CancellationException e) {
        // CancellationException: the stream's reader rethrows our own abort (stop()) as it is.
        failed = true;
        if (active()) {
          LOG.debug("server {}: standalone stream failed: {}", server.name(), e.getMessage());
        }
      } finally {
        abort = null;
      }
      if (!active()) {
        return;
      }
      long livedMillis = (System.nanoTime() - startedNanos) / 1_000_000;
      boolean healthy = !failed && (progressed || livedMillis >= HEALTHY_MILLIS);
      failures = healthy ? 0 : failures + 1;
      if (failures >= MAX_FAILURES) {
        LOG.warn(
            "server {}: standalone stream given up after {} failed attempts; notifications outside calls are lost until the session re-initializes",
            server.name(),
            failures);
        return;
      }
      long backoff = failures == 0 ? BASE_DELAY_MILLIS : Math.min(MAX_DELAY_MILLIS, BASE_DELAY_MILLIS << Math.min(failures, 10));
      long delay = retry >= 0 ? Math.max(retry, failures == 0 ? 0 : backoff) : backoff;
      if (!HttpUpstreamSession.sleep(delay)) {
        return;
      }
    }
  }
}
