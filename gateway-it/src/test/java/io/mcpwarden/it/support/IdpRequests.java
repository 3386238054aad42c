package io.mcpwarden.it.support;

import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.RecordedRequest;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/** Reading the requests an embedded mock-oauth2-server received, in order. */
public final class IdpRequests {
  private IdpRequests() {}

  /** The next request the IdP received within {@code millis}, or null (the server throws when there is none). */
  public static RecordedRequest next(MockOAuth2Server idp, long millis) {
    try {
      return idp.takeRequest(millis, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Discards what earlier tests left. */
  public static void drain(MockOAuth2Server idp) {
    while (next(idp, 50) != null) {
      // discard
    }
  }
}
