package io.mcpwarden.core.backend;

import io.mcpwarden.core.message.BoundedBody;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;

/**
 * An upstream's answer whose headers have arrived and whose body is read as a stream.
 *
 * <p>Closing it before the body ends aborts the exchange, so an upstream that keeps a stream open
 * never keeps a connection or a thread busy after the gateway has lost interest.
 */
final class HttpReply implements AutoCloseable {
  private final Request request;
  private final Response response;
  private final InputStream body;

  HttpReply(Request request, Response response, InputStream body) {
    this.request = request;
    this.response = response;
    this.body = body;
  }

  int status() {
    return response.getStatus();
  }

  /** A response header, or null; never logged, it may carry a secret. */
  String header(String name) {
    return response.getHeaders().get(name);
  }

  /** The media type without parameters, lower case; empty when absent. */
  String mediaType() {
    return mediaType(response);
  }

  /** The media type of a response without parameters, lower case; empty when absent. */
  static String mediaType(Response response) {
    String type = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (type == null) {
      return "";
    }
    int semi = type.indexOf(';');
    return (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  boolean isEventStream() {
    return "text/event-stream".equals(mediaType());
  }

  boolean isJson() {
    return isJson(mediaType());
  }

  static boolean isJson(String type) {
    return "application/json".equals(type) || type.endsWith("+json");
  }

  InputStream body() {
    return body;
  }

  /**
   * Reads the whole body, refusing one larger than {@code max} bytes without buffering it.
   *
   * @throws IOException when the body is too large or the connection fails
   */
  byte[] readBody(int max) throws IOException {
    long declared = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
    if (declared > max) {
      throw new IOException("response body of " + declared + " bytes exceeds " + max);
    }
    byte[] bytes = BoundedBody.read(body, declared, max + 1);
    if (bytes.length > max) {
      throw new IOException("response body exceeds " + max + " bytes");
    }
    return bytes;
  }

  /** An abort reason without a stack trace: it is made once per finished call, on the hot path. */
  private static final class Aborted extends CancellationException {
    private static final long serialVersionUID = 1L;

    Aborted(String why) {
      super(why);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  /** Ends the exchange at once (from any thread); a no-op once the response is complete. */
  void abort(String why) {
    request.abort(new Aborted(why));
  }

  @Override
  public void close() {
    abort("reply closed");
    try {
      body.close();
    } catch (IOException e) {
      // The exchange is over either way.
    }
  }
}
