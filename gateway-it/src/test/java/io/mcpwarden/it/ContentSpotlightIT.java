package io.mcpwarden.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.it.fixture.ContentServer;
import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.RawMcp;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Spotlighting and datamarking through HTTP: results of a server marked {@code trust: untrusted}
 * come wrapped in boundaries carrying the session's random marker (the same for every result of a
 * session, another in the next session), named in {@code _meta}; with datamarking their spaces are
 * replaced by {@code ˆ}. The twin: a trusted server's result is relayed exactly as sent.
 */
@Timeout(120)
class ContentSpotlightIT {
  private static final Pattern OPEN = Pattern.compile("^<<untrusted-data marker=([0-9a-f]{16})>> \\(data from server (\\w+), ([^)]*)\\)\n");
  private static GatewayHarness gw;
  private static RawMcp raw;

  @BeforeAll
  static void start() {
    gw = GatewayHarness.start("""
        servers:
        %s
            trust: untrusted
            content:
              datamark: true
        %s
            trust: untrusted
        %s
        """.formatted(ContentArgumentsIT.server("web"), ContentArgumentsIT.server("wiki"), ContentArgumentsIT.server("notes")));
    raw = gw.raw();
    ContentArgumentsIT.initialize(raw); // wait for the fixture servers' first start
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  @Test
  void untrustedResultsAreWrappedWithTheSessionMarkerAndDatamarked() {
    String sid = raw.initialize();
    JsonNode result = call(sid, "web_page", "{\"kind\":\"plain\"}");
    String text = result.path("content").get(0).path("text").asString();
    Matcher open = OPEN.matcher(text);
    assertThat(open.find()).as(text).isTrue();
    String marker = open.group(1);
    assertThat(open.group(2)).isEqualTo("web");
    assertThat(open.group(3)).contains("tool page").contains("ˆ");
    assertThat(text).endsWith("\n<</untrusted-data marker=" + marker + ">>");
    String body = text.substring(open.end(), text.length() - ("\n<</untrusted-data marker=" + marker + ">>").length());
    assertThat(body).isEqualTo(ContentServer.PLAIN.replace(' ', 'ˆ'));
    JsonNode meta = result.path("_meta").path("io.mcpwarden/content");
    assertThat(meta.path("marker").asString()).isEqualTo(marker);
    assertThat(meta.path("datamark").asString()).isEqualTo("ˆ");
    assertThat(meta.path("trust").asString()).isEqualTo("untrusted");

    // the same marker for every result of the session, another one for another session
    assertThat(markerOf(call(sid, "web_page", "{\"kind\":\"security\"}"))).isEqualTo(marker);
    assertThat(markerOf(call(raw.initialize(), "web_page", "{\"kind\":\"plain\"}"))).isNotEqualTo(marker);
  }

  @Test
  void withoutDatamarkingTheTextInsideTheBoundaryIsUnchanged() {
    String sid = raw.initialize();
    String text = call(sid, "wiki_page", "{\"kind\":\"plain\"}").path("content").get(0).path("text").asString();
    assertThat(text).contains("\n" + ContentServer.PLAIN + "\n<</untrusted-data marker=");
  }

  @Test
  void embeddedResourcesAndResourceReadsAreWrappedToo() {
    String sid = raw.initialize();
    JsonNode embedded = call(sid, "wiki_embedded", "{\"kind\":\"plain\"}");
    assertThat(embedded.path("content").get(0).path("resource").path("text").asString()).startsWith("<<untrusted-data marker=");

    RawMcp.Reply r = raw.post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"resources/read\",\"params\":{\"uri\":\"content://wiki/page/plain\"}}", sid);
    JsonNode contents = r.message().path("result").path("contents").get(0);
    assertThat(contents.path("text").asString()).startsWith("<<untrusted-data marker=").contains("server wiki, resource")
        .contains(ContentServer.PLAIN);
  }

  @Test
  void aTrustedServersResultIsRelayedExactlyAsSent() {
    String sid = raw.initialize();
    JsonNode result = call(sid, "notes_page", "{\"kind\":\"plain\"}");
    assertThat(result.path("content").get(0).path("text").asString()).isEqualTo(ContentServer.PLAIN);
    assertThat(result.path("_meta").has("io.mcpwarden/content")).isFalse();
  }

  @Test
  void promptsOfAnUntrustedServerAreNotWrapped() {
    String sid = raw.initialize();
    RawMcp.Reply r = raw.post("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"prompts/get\",\"params\":{\"name\":\"wiki_review\","
        + "\"arguments\":{\"kind\":\"plain\"}}}", sid);
    assertThat(r.message().path("result").path("messages").get(0).path("content").path("text").asString())
        .isEqualTo("Review this page:\n" + ContentServer.PLAIN);
  }

  private static JsonNode call(String sid, String tool, String args) {
    RawMcp.Reply r = raw.post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
        + "\",\"arguments\":" + args + "}}", sid);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.message().has("result")).as(r.body()).isTrue();
    return r.message().path("result");
  }

  private static String markerOf(JsonNode result) {
    Matcher m = OPEN.matcher(result.path("content").get(0).path("text").asString());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }
}
