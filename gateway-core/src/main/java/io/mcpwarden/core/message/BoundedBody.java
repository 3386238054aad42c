package io.mcpwarden.core.message;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads an HTTP message body into memory up to a limit, sized by its declared length.
 *
 * <p>Why: {@code InputStream.readNBytes(limit)} with a multi-megabyte limit allocates 16 KB chunks
 * for every 200-byte JSON-RPC message, on both sides of every proxied call. Reading one byte more
 * than the declared length tells whether anything follows; only then does it read on to the limit
 * (a decoded body may be longer than the length its sender declared), so the result is the same.
 */
public final class BoundedBody {
  private BoundedBody() {}

  /**
   * Reads until the end of {@code in} or {@code limit} bytes, whichever comes first.
   *
   * @param declared the declared length (Content-Length), or a negative number when unknown
   * @param limit most bytes returned; callers pass their maximum plus one to detect oversize
   */
  public static byte[] read(InputStream in, long declared, int limit) throws IOException {
    if (declared < 0 || declared + 1 >= limit) {
      return in.readNBytes(limit);
    }
    byte[] head = in.readNBytes((int) declared + 1);
    if (head.length <= declared) {
      return head;
    }
    byte[] rest = in.readNBytes(limit - head.length);
    byte[] all = Arrays.copyOf(head, head.length + rest.length);
    System.arraycopy(rest, 0, all, head.length, rest.length);
    return all;
  }
}
