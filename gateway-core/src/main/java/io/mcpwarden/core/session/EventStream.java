package io.mcpwarden.core.session;

import java.util.ArrayDeque;
import java.util.Deque;
import tools.jackson.databind.node.ObjectNode;

/**
 * One SSE stream of a session: an ordered, bounded log of events with at most one live reader.
 *
 * <p>Events outlive the connection that carried them, so a client that lost its connection can
 * resume with {@code Last-Event-ID} and get the rest, including a late response (a dropped
 * connection is not a cancellation). Event ids are {@code <stream>-<seq>}: unique across the
 * session's streams and telling which stream they belong to.
 */
public final class EventStream {
  /** One event as sent: its id and the JSON-RPC message. */
  public record Event(String id, long seq, ObjectNode message) {}

  /** A live reader of the stream (an open HTTP response). */
  public interface Subscriber {
    /** Offers an event without blocking; false when the reader cannot keep up. */
    boolean offer(Event event);

    /** No more events will come. */
    void end();
  }

  private final String id;
  private final boolean standalone;
  private final int capacity;
  private final Deque<Event> events = new ArrayDeque<>();
  private long seq;
  private boolean ended;
  private Subscriber subscriber;
  private volatile long lastActivityNanos = System.nanoTime();

  EventStream(String id, boolean standalone, int capacity) {
    this.id = id;
    this.standalone = standalone;
    this.capacity = capacity;
  }

  public String id() {
    return id;
  }

  /** Whether this is a GET stream for messages unrelated to any request. */
  public boolean standalone() {
    return standalone;
  }

  /** The id of an empty priming event a client can resume from before any message was sent. */
  public synchronized String primingId() {
    return id + "-" + seq;
  }

  /** Appends a message and hands it to the live reader, if any. */
  public synchronized void append(ObjectNode message) {
    if (ended) {
      return;
    }
    Event e = new Event(id + "-" + (++seq), seq, message);
    events.addLast(e);
    while (events.size() > capacity) {
      events.removeFirst();
    }
    lastActivityNanos = System.nanoTime();
    if (subscriber != null && !subscriber.offer(e)) {
      subscriber.end();
      subscriber = null;
    }
  }

  /** Marks the stream finished (its response was sent); readers are told once they have all. */
  public synchronized void end() {
    ended = true;
    if (subscriber != null) {
      subscriber.end();
      subscriber = null;
    }
  }

  public synchronized boolean ended() {
    return ended;
  }

  /**
   * Attaches a reader after replaying events with a sequence number above {@code afterSeq}.
   * Replaces any previous reader, which is ended.
   */
  public synchronized void attach(Subscriber s, long afterSeq) {
    if (subscriber != null && subscriber != s) {
      subscriber.end();
    }
    subscriber = null;
    for (Event e : events) {
      if (e.seq() > afterSeq && !s.offer(e)) {
        s.end();
        return;
      }
    }
    lastActivityNanos = System.nanoTime();
    if (ended) {
      s.end();
    } else {
      subscriber = s;
    }
  }

  /** Detaches a reader whose connection went away; events keep accumulating for resumption. */
  public synchronized void detach(Subscriber s) {
    if (subscriber == s) {
      subscriber = null;
    }
  }

  public synchronized boolean hasSubscriber() {
    return subscriber != null;
  }

  long lastActivityNanos() {
    return lastActivityNanos;
  }
}
