package io.mcpwarden.server.edge;

import io.mcpwarden.core.session.EventStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A live reader of an {@link EventStream}: a bounded queue between producers (upstream readers)
 * and the one thread writing to the HTTP response.
 *
 * <p>Producers never block on a slow client: when the queue is full the connection is dropped and
 * the client may resume from the stream's buffer with Last-Event-ID.
 */
final class SseConnection implements EventStream.Subscriber {
  /** What {@link #next} returns when the stream has ended. */
  static final EventStream.Event END = new EventStream.Event("", -1, null);

  private final BlockingQueue<EventStream.Event> queue;
  private volatile boolean ended;

  SseConnection(int capacity) {
    // Linked, not array-backed: one of these is made per POST, and an array of `capacity` slots
    // (4 KB, zeroed) for what is usually a single response was the largest allocation per call.
    this.queue = new LinkedBlockingQueue<>(capacity);
  }

  @Override
  public boolean offer(EventStream.Event event) {
    return !ended && queue.offer(event);
  }

  @Override
  public void end() {
    ended = true;
    // Wake a reader parked in next(): without this, an ended stream with nothing left to send
    // (a cancelled request, a session deleted under its GET stream) stayed open until the
    // keep-alive wait ran out. If the queue is full the reader is not parked and sees the flag.
    queue.offer(END);
  }

  /** The next event, {@link #END}, or null when nothing arrived within the wait. */
  EventStream.Event next(long waitMillis) throws InterruptedException {
    EventStream.Event e = queue.poll();
    if (e != null) {
      return e;
    }
    if (ended) {
      // Producers offer before they end, so once ended is seen every event is already queued.
      e = queue.poll();
      return e != null ? e : END;
    }
    e = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
    if (e != null) {
      return e;
    }
    if (ended) {
      e = queue.poll();
      return e != null ? e : END;
    }
    return null;
  }
}
