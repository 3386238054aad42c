package io.mcpwarden.bench;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection with a blocking socket, in the spirit of wrk: the request is
 * written with one system call and the response parsed in place.
 *
 * <p>A load generator on the same two cores as the system under test steals CPU from it; this
 * client does the least work a correct one can (no pools, no selector, no extra threads), so the
 * figures say more about the servers than about the client. It understands exactly what MCP
 * servers answer: {@code Content-Length} or chunked bodies, JSON or SSE.
 */
final class HttpConnection implements Closeable {
  /** One HTTP response; header names are lower-case. */
  record Reply(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name);
    }

    boolean isEventStream() {
      String ct = headers.get("content-type");
      return ct != null && ct.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    }

    /**
     * The JSON-RPC message carried: the body itself, or for an event stream the last non-empty
     * {@code data} of a message event (where a response comes after any related notifications).
     */
    String message() {
      String text = new String(body, StandardCharsets.UTF_8);
      if (!isEventStream()) {
        return text;
      }
      String last = "";
      StringBuilder data = new StringBuilder();
      for (String line : text.split("\r\n|\n|\r", -1)) {
        if (line.isEmpty()) {
          if (!data.isEmpty() && !data.toString().isBlank()) {
            last = data.toString();
          }
          data.setLength(0);
        } else if (line.startsWith("data:")) {
          if (!data.isEmpty()) {
            data.append('\n');
          }
          data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
        }
      }
      if (!data.isEmpty() && !data.toString().isBlank()) {
        last = data.toString();
      }
      return last;
    }
  }

  private final String host;
  private final int port;
  private final String path;
  private int timeoutMillis;
  private final ByteArrayOutputStream request = new ByteArrayOutputStream(1024);
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int lim;

  HttpConnection(URI url, int timeoutMillis) {
    this.host = url.getHost();
    this.port = url.getPort() < 0 ? 80 : url.getPort();
    this.path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    this.timeoutMillis = timeoutMillis;
  }

  /** Read timeout for the requests that follow (and connect timeout for a new connection). */
  void timeout(int millis) throws IOException {
    timeoutMillis = millis;
    if (socket != null) {
      socket.setSoTimeout(millis);
    }
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(timeoutMillis);
    s.connect(new InetSocketAddress(host, port), timeoutMillis);
    socket = s;
    in = s.getInputStream();
    out = s.getOutputStream();
    pos = 0;
    lim = 0;
  }

  /**
   * Sends one request and reads its whole response.
   *
   * @param headers extra header name/value pairs
   */
  Reply send(String method, byte[] body, String... headers) throws IOException {
    if (socket == null) {
      connect();
    }
    request.reset();
    StringBuilder head = new StringBuilder(256);
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port).append("\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      request.writeBytes(body);
    }
    try {
      request.writeTo(out);
      out.flush();
      return readReply(method);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private Reply readReply(String method) throws IOException {
    String status = readLine();
    while (status.isEmpty()) {
      status = readLine();
    }
    if (!status.startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    Map<String, String> headers = new HashMap<>();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
    }
    byte[] body;
    String te = headers.get("transfer-encoding");
    String cl = headers.get("content-length");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      body = readChunked();
    } else if (cl != null) {
      body = readExactly(Integer.parseInt(cl));
    } else if (code == 204 || code == 304 || code / 100 == 1 || "HEAD".equals(method)) {
      body = new byte[0];
    } else {
      body = readToEnd();
      close();
    }
    String connection = headers.get("connection");
    if (connection != null && connection.equalsIgnoreCase("close")) {
      close();
    }
    return new Reply(code, headers, body);
  }

  private boolean fill() throws IOException {
    if (pos == lim) {
      pos = 0;
      lim = 0;
    }
    int n = in.read(buf, lim, buf.length - lim);
    if (n < 0) {
      return false;
    }
    lim += n;
    return true;
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      if (pos == lim && !fill()) {
        throw new EOFException("connection closed by server");
      }
      byte b = buf[pos++];
      if (b == '\n') {
        int n = line.length();
        if (n > 0 && line.charAt(n - 1) == '\r') {
          line.setLength(n - 1);
        }
        return line.toString();
      }
      if (line.length() > 16 * 1024) {
        throw new IOException("header line too long");
      }
      line.append((char) (b & 0xff));
    }
  }

  private byte[] readExactly(int n) throws IOException {
    byte[] body = new byte[n];
    int got = 0;
    while (got < n) {
      if (pos == lim && !fill()) {
        throw new EOFException("connection closed mid-body");
      }
      int take = Math.min(n - got, lim - pos);
      System.arraycopy(buf, pos, body, got, take);
      pos += take;
      got += take;
    }
    return body;
  }

  private byte[] readChunked() throws IOException {
    byte[] body = new byte[0];
    while (true) {
      String sizeLine = readLine();
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        while (!readLine().isEmpty()) {
          // trailers: ignored
        }
        return body;
      }
      byte[] chunk = readExactly(size);
      int old = body.length;
      body = Arrays.copyOf(body, old + size);
      System.arraycopy(chunk, 0, body, old, size);
      readLine();
    }
  }

  private byte[] readToEnd() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(buf, pos, lim - pos);
    pos = lim;
    in.transferTo(all);
    return all.toByteArray();
  }

  @Override
  public void close() {
    Socket s = socket;
    socket = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // Nothing left to do with a socket that will not close.
      }
    }
  }
}
