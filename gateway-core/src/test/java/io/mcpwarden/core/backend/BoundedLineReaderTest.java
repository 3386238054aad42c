package io.mcpwarden.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

  private static List<String> readAll(InputStream in, int max) throws IOException {
    BoundedLineReader r = new BoundedLineReader(in, max);
    List<String> out = new ArrayList<>();
    String line;
    while ((line = r.readLine()) != null) {
      out.add(line);
    }
    return out;
  }

  private static List<String> readAll(String text, int max) throws IOException {
    return readAll(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
  }

  /** Hands out one byte per read, so every line crosses buffer refills. */
  private static InputStream trickle(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
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
  void splitsOnLf() throws IOException {
    assertThat(readAll("a\nbb\nccc\n", 100)).containsExactly("a", "bb", "ccc");
  }

  @Test
  void stripsCrOfCrlf() throws IOException {
    assertThat(readAll("{\"a\":1}\r\n{\"b\":2}\r\n", 100)).containsExactly("{\"a\":1}", "{\"b\":2}");
  }

  @Test
  void onlyATrailingCrIsStripped() throws IOException {
    assertThat(readAll("a\rb\n", 100)).containsExactly("a\rb");
  }

  @Test
  void lastLineWithoutNewlineIsReturned() throws IOException {
    assertThat(readAll("one\ntwo", 100)).containsExactly("one", "two");
    assertThat(readAll("solo\r", 100)).containsExactly("solo");
  }

  @Test
  void emptyLinesAreKeptButEndOfStreamIsNull() throws IOException {
    assertThat(readAll("\n\nx\n", 100)).containsExactly("", "", "x");
    assertThat(readAll("", 100)).isEmpty();
  }

  @Test
  void lineAtTheCapIsAcceptedAndOneByteMoreIsSkipped() throws IOException {
    String atCap = "x".repeat(10);
    String over = "y".repeat(11);
    assertThat(readAll(atCap + "\n" + over + "\nafter\n", 10))
        .containsExactly(atCap, BoundedLineReader.OVERSIZE, "after");
  }

  @Test
  void oversizeLineSpanningManyBuffersIsSkippedUpToItsNewline() throws IOException {
    String huge = "z".repeat(100_000);
    assertThat(readAll("before\n" + huge + "\nafter\n", 1024))
        .containsExactly("before", BoundedLineReader.OVERSIZE, "after");
  }

  @Test
  void oversizeLastLineWithoutNewline() throws IOException {
    assertThat(readAll("ok\n" + "q".repeat(50), 10)).containsExactly("ok", BoundedLineReader.OVERSIZE);
  }

  @Test
  void oversizeMarkerIsNotAnOrdinaryString() throws IOException {
    // Callers compare by identity; a child cannot produce the marker by printing it.
    List<String> lines = readAll(BoundedLineReader.OVERSIZE + "\n", 100);
    assertThat(lines).hasSize(1);
    assertThat(lines.getFirst()).isEqualTo(BoundedLineReader.OVERSIZE).isNotSameAs(BoundedLineReader.OVERSIZE);
  }

  @Test
  void multiByteUtf8SplitAcrossReadsIsDecodedWhole() throws IOException {
    String text = "grüße 🙂 日本\r\nnext\n";
    assertThat(readAll(trickle(text), 100)).containsExactly("grüße 🙂 日本", "next");
  }

  @Test
  void capCountsBytesNotCharacters() throws IOException {
    // "ü" is two bytes in UTF-8: five of them are ten bytes.
    assertThat(readAll("üüüüü\nüüüüüü\n", 10)).containsExactly("üüüüü", BoundedLineReader.OVERSIZE);
  }

  @Test
  void trickledOversizeLineIsSkipped() throws IOException {
    assertThat(readAll(trickle("abc\n" + "w".repeat(40) + "\r\ndef"), 16))
        .containsExactly("abc", BoundedLineReader.OVERSIZE, "def");
  }
}
