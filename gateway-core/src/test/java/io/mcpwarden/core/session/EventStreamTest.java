package io.mcpwarden.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.message.JsonRpc;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class EventStreamTest {

  /** Records what it is offered; refuses once its budget is used up. */
  static final class Recorder implements EventStream.Subscriber {
    final List<EventStream.Event> events = new ArrayList<>();
    int budget;
    int ends;

    Recorder() {
      this(Integer.MAX_VALUE);
    }

    Recorder(int budget) {
      this.budget = budget;
    }

    @Override
    public boolean offer(EventStream.Event event) {
      if (budget == 0) {
        return false;
      }
      budget--;
      events.add(event);
      return true;
    }

    @Override
    public void end() {
      ends++;
    }

    List<Long> seqs() {
      return events.stream().map(EventStream.Event::seq).toList();
    }
  }

  private static ObjectNode msg(int n) {
    return JsonRpc.notification("notifications/message", JsonRpc.NODES.objectNode().put("n", n));
  }

  @Test
  void eventIdsCarryStreamIdAndSequence() {
    EventStream s = new EventStream("k", false, 10);
    assertThat(s.primingId()).isEqualTo("k-0");
    Recorder r = new Recorder();
    s.attach(r, 0);
    s.append(msg(1));
    s.append(msg(2));
    assertThat(r.events).extracting(EventStream.Event::id).containsExactly("k-1", "k-2");
    assertThat(r.seqs()).containsExactly(1L, 2L);
    assertThat(r.events.get(1).message().path("params").path("n").asInt()).isEqualTo(2);
    assertThat(s.primingId()).isEqualTo("k-2");
  }

  @Test
  void attachReplaysOnlyEventsAfterTheGivenSequence() {
    EventStream s = new EventStream("a", false, 10);
    for (int i = 1; i <= 5; i++) {
      s.append(msg(i));
    }
    Recorder r = new Recorder();
    s.attach(r, 3);
    assertThat(r.seqs()).containsExactly(4L, 5L);
    s.append(msg(6));
    assertThat(r.seqs()).containsExactly(4L, 5L, 6L);
    assertThat(s.hasSubscriber()).isTrue();
  }

  @Test
  void attachFromZeroReplaysEverything() {
    EventStream s = new EventStream("a", false, 10);
    s.append(msg(1));
    s.append(msg(2));
    Recorder r = new Recorder();
    s.attach(r, 0);
    assertThat(r.seqs()).containsExactly(1L, 2L);
  }

  @Test
  void capacityBoundsTheLogAndDropsTheOldest() {
    EventStream s = new EventStream("a", false, 3);
    for (int i = 1; i <= 10; i++) {
      s.append(msg(i));
    }
    Recorder r = new Recorder();
    s.attach(r, 0);
    assertThat(r.seqs()).containsExactly(8L, 9L, 10L);
  }

  @Test
  void zeroCapacityKeepsNothingForReplayButStillDeliversLive() {
    EventStream s = new EventStream("a", false, 0);
    Recorder live = new Recorder();
    s.attach(live, 0);
    s.append(msg(1));
    assertThat(live.seqs()).containsExactly(1L);
    s.detach(live);
    Recorder later = new Recorder();
    s.attach(later, 0);
    assertThat(later.events).isEmpty();
  }

  @Test
  void endEndsTheLiveReaderOnceAndLaterAppendsAreIgnored() {
    EventStream s = new EventStream("a", false, 10);
    Recorder r = new Recorder();
    s.attach(r, 0);
    s.append(msg(1));
    s.end();
    assertThat(s.ended()).isTrue();
    assertThat(r.ends).isEqualTo(1);
    assertThat(s.hasSubscriber()).isFalse();
    s.append(msg(2));
    s.end();
    assertThat(r.seqs()).containsExactly(1L);
    assertThat(r.ends).isEqualTo(1);
  }

  @Test
  void attachAfterEndReplaysTheRestThenEnds() {
    EventStream s = new EventStream("a", false, 10);
    s.append(msg(1));
    s.append(msg(2));
    s.end();
    Recorder r = new Recorder();
    s.attach(r, 1);
    assertThat(r.seqs()).containsExactly(2L);
    assertThat(r.ends).isEqualTo(1);
    assertThat(s.hasSubscriber()).isFalse();
  }

  @Test
  void detachKeepsBufferingForResumption() {
    EventStream s = new EventStream("a", false, 10);
    Recorder first = new Recorder();
    s.attach(first, 0);
    s.append(msg(1));
    s.detach(first);
    assertThat(s.hasSubscriber()).isFalse();
    s.append(msg(2));
    s.append(msg(3));
    assertThat(first.seqs()).containsExactly(1L);
    assertThat(first.ends).isZero();

    Recorder resumed = new Recorder();
    s.attach(resumed, 1);
    assertThat(resumed.seqs()).containsExactly(2L, 3L);
  }

  @Test
  void detachOfAReaderThatIsNotAttachedChangesNothing() {
    EventStream s = new EventStream("a", false, 10);
    Recorder current = new Recorder();
    s.attach(current, 0);
    s.detach(new Recorder());
    assertThat(s.hasSubscriber()).isTrue();
  }

  @Test
  void aLiveReaderThatRefusesIsEndedAndDropped() {
    EventStream s = new EventStream("a", false, 10);
    Recorder slow = new Recorder(1);
    s.attach(slow, 0);
    s.append(msg(1));
    s.append(msg(2));
    assertThat(slow.seqs()).containsExactly(1L);
    assertThat(slow.ends).isEqualTo(1);
    assertThat(s.hasSubscriber()).isFalse();
    // The refused event is still there for a reader that resumes.
    Recorder resumed = new Recorder();
    s.attach(resumed, 1);
    assertThat(resumed.seqs()).containsExactly(2L);
  }

  @Test
  void aReaderThatRefusesDuringReplayIsEndedAndNotAttached() {
    EventStream s = new EventStream("a", false, 10);
    for (int i = 1; i <= 3; i++) {
      s.append(msg(i));
    }
    Recorder slow = new Recorder(1);
    s.attach(slow, 0);
    assertThat(slow.seqs()).containsExactly(1L);
    assertThat(slow.ends).isEqualTo(1);
    assertThat(s.hasSubscriber()).isFalse();
  }

  @Test
  void attachingASecondReaderEndsTheFirst() {
    EventStream s = new EventStream("a", false, 10);
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    s.attach(first, 0);
    s.attach(second, 0);
    assertThat(first.ends).isEqualTo(1);
    s.append(msg(1));
    assertThat(first.events).isEmpty();
    assertThat(second.seqs()).containsExactly(1L);
  }

  @Test
  void reattachingTheSameReaderDoesNotEndIt() {
    EventStream s = new EventStream("a", false, 10);
    Recorder r = new Recorder();
    s.attach(r, 0);
    s.attach(r, 0);
    assertThat(r.ends).isZero();
    assertThat(s.hasSubscriber()).isTrue();
  }

  @Test
  void standaloneFlagAndIdAreKept() {
    EventStream s = new EventStream("z", true, 1);
    assertThat(s.id()).isEqualTo("z");
    assertThat(s.standalone()).isTrue();
  }
}
