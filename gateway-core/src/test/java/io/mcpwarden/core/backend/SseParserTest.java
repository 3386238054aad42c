package io.mcpwarden.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private static List<SseParser.Event> all(SseParser parser) throws IOException {
    List<SseParser.Event> events = new ArrayList<>();
    SseParser.Event e;
    while ((e = parser.next()) != null) {
      events.add(e);
    }
    return events;
  }

  private static SseParser parser(String text) {
    return new SseParser(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Hands out one byte per read, to catch state kept wrongly across buffer refills. */
  private static InputStream trickle(byte[] bytes) {
    return new InputStream() {
      int i;

      @Override
      public int read() {
        return i < bytes.length ? bytes[i++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (i >= bytes.length) {
          return -1;
        }
        b[off] = bytes[i++];
        return 1;
      }
    };
  }

  @Test
  void singleEventWithDefaultType() throws IOException {
    List<SseParser.Event> events = all(parser("data: {\"a\":1}\n\n"));
    assertThat(events).containsExactly(new SseParser.Event("", "message", "{\"a\":1}"));
  }

  @Test
  void multiLineDataIsJoinedWithLf() throws IOException {
    List<SseParser.Event> events = all(parser("data: one\ndata: two\ndata:three\n\n"));
    assertThat(events).extracting(SseParser.Event::data).containsExactly("one\ntwo\nthree");
  }

  @Test
  void onlyOneLeadingSpaceIsRemoved() throws IOException {
    assertThat(all(parser("data:  two spaces\n\n"))).extracting(SseParser.Event::data).containsExactly(" two spaces");
  }

  @Test
  void crlfLfAndLoneCrAllEndLines() throws IOException {
    String text = "id: 1\r\ndata: a\r\n\r\nid: 2\rdata: b\r\rid: 3\ndata: c\n\n";
    List<SseParser.Event> events = all(parser(text));
    assertThat(events)
        .containsExactly(
            new SseParser.Event("1", "message", "a"),
            new SseParser.Event("2", "message", "b"),
            new SseParser.Event("3", "message", "c"));
  }

  @Test
  void crlfSplitAcrossReadsIsOneLineEnd() throws IOException {
    byte[] bytes = "data: a\r\n\r\ndata: b\r\n\r\n".getBytes(StandardCharsets.UTF_8);
    List<SseParser.Event> events = all(new SseParser(trickle(bytes)));
    assertThat(events).extracting(SseParser.Event::data).containsExactly("a", "b");
  }

  @Test
  void multiByteUtf8SurvivesByteByByteReads() throws IOException {
    byte[] bytes = "data: grüße ✓ 🙂\n\n".getBytes(StandardCharsets.UTF_8);
    assertThat(all(new SseParser(trickle(bytes)))).extracting(SseParser.Event::data).containsExactly("grüße ✓ 🙂");
  }

  @Test
  void commentsAndUnknownFieldsAreIgnored() throws IOException {
    String text = ": keep-alive\n\n:another\nfoo: bar\ndata: x\nbaz\n\n";
    assertThat(all(parser(text))).containsExactly(new SseParser.Event("", "message", "x"));
  }

  @Test
  void eventTypeIsReportedAndResetAfterDispatch() throws IOException {
    String text = "event: endpoint\ndata: /messages\n\ndata: plain\n\n";
    assertThat(all(parser(text)))
        .containsExactly(new SseParser.Event("", "endpoint", "/messages"), new SseParser.Event("", "message", "plain"));
  }

  @Test
  void idPersistsUntilChangedAndEmptyIdResetsIt() throws IOException {
    String text = "id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n";
    assertThat(all(parser(text))).extracting(SseParser.Event::id).containsExactly("7", "7", "");
  }

  @Test
  void idWithNulIsIgnored() throws IOException {
    assertThat(all(parser("id: 1\ndata: a\n\nid: x\u0000y\ndata: b\n\n"))).extracting(SseParser.Event::id).containsExactly("1", "1");
  }

  @Test
  void primingEventSetsLastEventIdWithoutDispatching() throws IOException {
    SseParser parser = parser("id: prime-1\n\n");
    assertThat(parser.next()).isNull();
    assertThat(parser.lastEventId()).isEqualTo("prime-1");
  }

  @Test
  void emptyDataFieldDispatchesEmptyData() throws IOException {
    SseParser parser = parser("id: p\ndata:\n\n");
    assertThat(all(parser)).containsExactly(new SseParser.Event("p", "message", ""));
  }

  @Test
  void retryAcceptsOnlyDigits() throws IOException {
    SseParser parser = parser("retry: 1500\n\nretry: 12x\n\nretry: -5\n\n");
    all(parser);
    assertThat(parser.retryMillis()).isEqualTo(1500);
  }

  @Test
  void retryIsCapped() throws IOException {
    SseParser parser = parser("retry: 99999999999999999999999\n\n");
    all(parser);
    assertThat(parser.retryMillis()).isEqualTo(SseParser.MAX_RETRY_MILLIS);
  }

  @Test
  void retryIsMinusOneWhenAbsent() throws IOException {
    SseParser parser = parser("data: a\n\n");
    all(parser);
    assertThat(parser.retryMillis()).isEqualTo(-1);
  }

  @Test
  void incompleteEventAtEndOfStreamIsDiscarded() throws IOException {
    SseParser parser = parser("data: complete\n\nid: 9\ndata: cut off");
    assertThat(all(parser)).extracting(SseParser.Event::data).containsExactly("complete");
    assertThat(parser.lastEventId()).isEmpty();
  }

  @Test
  void byteOrderMarkAtStartIsSkipped() throws IOException {
    byte[] text = "data: x\n\n".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[text.length + 3];
    bytes[0] = (byte) 0xEF;
    bytes[1] = (byte) 0xBB;
    bytes[2] = (byte) 0xBF;
    System.arraycopy(text, 0, bytes, 3, text.length);
    assertThat(all(new SseParser(new ByteArrayInputStream(bytes)))).extracting(SseParser.Event::data).containsExactly("x");
    assertThat(all(new SseParser(trickle(bytes)))).extracting(SseParser.Event::data).containsExactly("x");
  }

  @Test
  void fieldWithoutColonHasEmptyValue() throws IOException {
    // "data" alone appends an empty line to the data buffer.
    assertThat(all(parser("data\ndata: b\n\n"))).extracting(SseParser.Event::data).containsExactly("\nb");
  }

  @Test
  void eventsAreReturnedOneAtATime() throws IOException {
    SseParser parser = parser("id: 1\ndata: a\n\nid: 2\ndata: b\n\n");
    assertThat(parser.next()).isEqualTo(new SseParser.Event("1", "message", "a"));
    assertThat(parser.lastEventId()).isEqualTo("1");
    assertThat(parser.next()).isEqualTo(new SseParser.Event("2", "message", "b"));
    assertThat(parser.next()).isNull();
    assertThat(parser.next()).isNull();
  }

  @Test
  void overlongLineIsRefused() {
    String text = "data: " + "x".repeat(200) + "\n\n";
    SseParser parser = new SseParser(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 100);
    assertThatThrownBy(parser::next).isInstanceOf(SseParser.OversizeException.class);
  }

  @Test
  void endlessLineWithoutNewlineIsRefusedWithoutBufferingItAll() {
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 'x';
          }
        };
    SseParser parser = new SseParser(endless, 4096);
    assertThatThrownBy(parser::next).isInstanceOf(SseParser.OversizeException.class);
  }

  @Test
  void eventLargerThanCapAcrossManyLinesIsRefused() {
    String line = "data: " + "y".repeat(50) + "\n";
    String text = line.repeat(10) + "\n";
    SseParser parser = new SseParser(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 300);
    assertThatThrownBy(parser::next).isInstanceOf(SseParser.OversizeException.class);
  }

  @Test
  void eventAtTheCapIsAccepted() throws IOException {
    String text = "data: " + "z".repeat(94) + "\n\n"; // line of exactly 100 bytes
    SseParser parser = new SseParser(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 100);
    assertThat(parser.next().data()).hasSize(94);
  }

  @Test
  void emptyStreamHasNoEvents() throws IOException {
    assertThat(all(parser(""))).isEmpty();
    assertThat(all(parser("\n\n\r\n"))).isEmpty();
  }
}
