package io.mcpwarden.core.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads newline-delimited lines with a hard cap on line length.
 *
 * <p>A child process that writes an endless line would otherwise grow a buffer without bound; an
 * oversize line is skipped up to its newline and reported as {@link #OVERSIZE}.
 */
final class BoundedLineReader {
  /** Returned in place of a line that exceeded the cap. */
  static final String OVERSIZE = "\u0000oversize";

  private final InputStream in;
  private final int maxBytes;
  private final byte[] buf = new byte[8192];
  private int pos;
  private int len;

  BoundedLineReader(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /** The next line without its terminator, {@link #OVERSIZE}, or null at end of stream. */
  String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    boolean oversize = false;
    while (true) {
      if (pos == len) {
        len = in.read(buf);
        pos = 0;
        if (len <= 0) {
          len = 0;
          return line.size() > 0 || oversize ? finish(line, oversize) : null;
        }
      }
      int start = pos;
      while (pos < len && buf[pos] != '\n') {
        pos++;
      }
      int chunk = pos - start;
      if (!oversize) {
        if (line.size() + chunk > maxBytes) {
          oversize = true;
          line.reset();
        } else {
          line.write(buf, start, chunk);
        }
      }
      if (pos < len) {
        pos++; // consume '\n'
        return finish(line, oversize);
      }
    }
  }

  private static String finish(ByteArrayOutputStream line, boolean oversize) {
    if (oversize) {
      return OVERSIZE;
    }
    byte[] bytes = line.toByteArray();
    int n = bytes.length;
    if (n > 0 && bytes[n - 1] == '\r') {
      n--;
    }
    return new String(bytes, 0, n, StandardCharsets.UTF_8);
  }
}
