package io.mcpwarden.core.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Fetches small JSON documents from authorization servers: discovery metadata and key sets.
 *
 * <p>An interface so tests can count and fake fetches; the HTTP implementation never follows
 * redirects and caps sizes and times, since the gateway must stay up when an authorization server
 * misbehaves.
 */
@FunctionalInterface
public interface DocumentFetcher {

  /** The body of a 200 answer to a GET of {@code uri}; any other answer is an IOException. */
  String get(URI uri) throws IOException;

  /** Fetches over HTTP(S) with the JDK client: 5 s to connect, 10 s in all, at most 1 MiB. */
  static DocumentFetcher http() {
    return new Http(Duration.ofSeconds(5), Duration.ofSeconds(10), 1 << 20);
  }

  /** The HTTP implementation. */
  final class Http implements DocumentFetcher {
    private final HttpClient client;
    private final Duration timeout;
    private final int maxBytes;

    Http(Duration connectTimeout, Duration timeout, int maxBytes) {
      this.client = HttpClient.newBuilder()
          .connectTimeout(connectTimeout)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
      this.timeout = timeout;
      this.maxBytes = maxBytes;
    }

    @Override
    public String get(URI uri) throws IOException {
      HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
      try {
        HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = resp.body()) {
          if (resp.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered HTTP " + resp.statusCode());
          }
          byte[] body = in.readNBytes(maxBytes + 1);
          if (body.length > maxBytes) {
            throw new IOException("GET " + uri + ": document larger than " + maxBytes + " bytes");
          }
          return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted fetching " + uri, e);
      }
    }
  }
}
